"""A trunk with a `failover` proxy: a call its first proxy refuses with 503 (after
answering its challenge) is tried at the second, which challenges too and gets its own
answer; two proxies that never answer fail the call with 503 within twice the trunk's
timeout. A real Kamailio, two challenging providers (127.0.0.9 and 127.0.0.10) and an
engine's side (provider.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import start_proxy, stop_proxy
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from tests.engine.support import free_port_block
from tests.support.raw_sip import Peer

from .provider import PASSWORD, REALM, Setup, challenge, invite, next_request, proves_password
from .provider import reply as answer

pytestmark = pytest.mark.sip
TIMEOUT = 1.5  # s: the trunk's, per proxy


@pytest.fixture
def edge(tmp_path: Path) -> Iterator[tuple[Setup, Peer]]:
    """The edge with trunk `carrier`: proxy 127.0.0.9, failover 127.0.0.10."""
    port = free_port_block(1)
    first, second = (Peer(("127.0.0.1", port), host=h) for h in ("127.0.0.9", "127.0.0.10"))
    engine = Peer(("127.0.0.1", port))
    trunk = Trunk("carrier", f"127.0.0.9:{first.port}", "4930123", domain=REALM,
                  register=False, timeout=TIMEOUT, failover=(f"127.0.0.10:{second.port}",))
    settings = ProxySettings("127.0.0.1", port, (f"127.0.0.1:{engine.port}",),
                             tmp_path / "dispatcher.list", ping_interval=30,
                             trunks=(EdgeTrunk(trunk, PASSWORD),))
    process = start_proxy(settings, tmp_path)
    try:
        yield Setup(port, first, engine, tmp_path), second
    finally:
        stop_proxy(process, settings.stop_timeout)
        for peer in (first, second, engine):
            peer.close()


def test_a_call_refused_with_503_is_tried_at_the_failover_proxy(
        edge: tuple[Setup, Peer]) -> None:
    setup, second = edge
    setup.engine.send(invite(setup.engine, f"sip:030123456@127.0.0.1:{setup.edge}"
                                           ";dp-trunk=carrier"))
    for provider, nonce, status in ((setup.provider, "n1", "503 Service Unavailable"),
                                    (second, "n2", "486 Busy Here")):
        offered = next_request(provider, "INVITE")
        assert offered is not None, setup.log()[-3000:]
        assert offered.text.startswith(f"INVITE sip:030123456@{provider.host}:"
                                       f"{provider.port} ")
        assert offered.headers("Proxy-Authorization") == []  # not the other's answer
        challenge(provider, offered, "407 Proxy Authentication Required",
                  "Proxy-Authenticate", nonce)
        retried = next_request(provider, "INVITE")
        assert retried is not None, setup.log()[-3000:]
        assert proves_password(retried, "Proxy-Authorization", "INVITE", nonce, "4930123")
        assert len(retried.headers("Proxy-Authorization")) == 1
        answer(provider, retried, status)
    final = setup.engine.final()
    assert final is not None and final.status == 486, setup.log()[-3000:]


def test_two_silent_proxies_fail_the_call_with_503_within_twice_the_timeout(
        edge: tuple[Setup, Peer]) -> None:
    setup, second = edge
    sent = time.monotonic()
    setup.engine.send(invite(setup.engine, f"sip:030123456@127.0.0.1:{setup.edge}"
                                           ";dp-trunk=carrier"))
    assert next_request(setup.provider, "INVITE") is not None
    assert next_request(second, "INVITE") is not None
    final = setup.engine.final(timeout=2 * TIMEOUT + 5)
    assert final is not None and final.status == 503, setup.log()[-2000:]
    assert time.monotonic() - sent < 2 * TIMEOUT + 1.5
