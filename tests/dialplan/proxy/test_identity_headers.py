"""The proxy is the only one who may say who a caller is: whatever `X-Dialplan-` headers a
caller writes into an INVITE are gone when it reaches an engine process (which believes
that header from the proxy's address: dialplan/runtime/identity.py). Real Kamailio, a
UDP socket standing in for the engine process."""

from __future__ import annotations

from pathlib import Path

from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import start_proxy, stop_proxy
from tests.support.raw_sip import Endpoint, request
from tests.support.redis_server import free_port


def test_identity_headers_a_caller_wrote_never_reach_the_engine(tmp_path: Path) -> None:
    engine_side, caller = Endpoint(), Endpoint()
    port = free_port()
    settings = ProxySettings("127.0.0.1", port, (f"127.0.0.1:{engine_side.address[1]}",),
                             tmp_path / "dispatcher.list", flood_limit=0, failover=0)
    process = start_proxy(settings, tmp_path)
    try:
        forged = ("X-Dialplan-Extension: 201\r\nx-dialplan-EXTENSION: 202\r\n"
                  "X-DIALPLAN-Authenticated: yes\r\nX-Ticket: 77")
        caller.sock.sendto(request("INVITE", port, caller.address, extra=forged),
                           ("127.0.0.1", port))
        arrived = engine_side.collect(quiet=1.0, limit=5.0)
        invites = [d.decode("latin-1") for d in arrived.datagrams if d.startswith(b"INVITE")]
        assert invites, arrived.lines
        names = [line.split(":", 1)[0].lower()
                 for line in invites[0].split("\r\n\r\n", 1)[0].split("\r\n")[1:]]
        assert not [name for name in names if name.startswith("x-dialplan-")]
        assert "x-ticket" in names  # other extension headers pass as they are
    finally:
        stop_proxy(process)
        engine_side.close()
        caller.close()
