"""A trunk out of service for want of its password file comes back without a restart:
the file appears, the refresh rewrites the edge's tables and has the running Kamailio
reload them, and the trunk registers and its calls are authenticated with that
password (the REGISTER leaves at uac_reg's next tick: within 10 s); the file removed,
its calls get 503 again. A real Kamailio (no restart between the steps), the
challenging provider and an engine's side (provider.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.proxy.control import ProxyControl
from dialplan.proxy.kamailio import ProxySettings, trunk_contact, trunk_folder
from dialplan.proxy.process import start_proxy, stop_proxy
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from dialplan.trunks.refresh import TrunkRefresh
from tests.engine.support import free_port_block
from tests.support.raw_sip import Peer

from .provider import PASSWORD, REALM, Setup, challenge, invite, next_request, proves_password
from .provider import reply as answer

pytestmark = pytest.mark.sip


@pytest.fixture
def edge(tmp_path: Path) -> Iterator[tuple[Setup, TrunkRefresh, Path]]:
    """The edge with trunk `carrier` whose password file does not exist yet."""
    port = free_port_block(1)
    provider = Peer(("127.0.0.1", port), host="127.0.0.9")
    engine = Peer(("127.0.0.1", port))
    secret = tmp_path / "carrier.pass"
    trunk = Trunk("carrier", f"127.0.0.9:{provider.port}", "4930123", password_file=secret,
                  domain=REALM, expires=60, timeout=3)
    control = f"unix:{tmp_path / 'kamailio.ctl'}"
    settings = ProxySettings("127.0.0.1", port, (f"127.0.0.1:{engine.port}",),
                             tmp_path / "dispatcher.list", ping_interval=30, control=control,
                             trunks=(EdgeTrunk.read(trunk),))
    refresh = TrunkRefresh(settings.trunks, trunk_folder(settings), trunk_contact(settings),
                           ProxyControl(control).reload_trunks)
    process = start_proxy(settings, tmp_path)
    try:
        yield Setup(port, provider, engine, tmp_path), refresh, secret
    finally:
        stop_proxy(process, settings.stop_timeout)
        provider.close()
        engine.close()


def dial(setup: Setup) -> None:
    setup.engine.call_id = f"{uuid.uuid4().hex}@127.0.0.1"
    setup.engine.send(invite(setup.engine, f"sip:030123456@127.0.0.1:{setup.edge}"
                                           ";dp-trunk=carrier"))


def test_a_trunk_comes_back_when_its_password_file_appears_and_goes_when_it_goes(
        edge: tuple[Setup, TrunkRefresh, Path]) -> None:
    setup, refresh, secret = edge
    dial(setup)
    refused = setup.engine.final()
    assert refused is not None and refused.status == 503, setup.log()[-2000:]
    assert "Trunk Out Of Service" in refused.text
    assert setup.provider.receive(0.5) is None  # no REGISTER, no INVITE
    assert refresh.check() is None  # nothing changed yet

    secret.touch(mode=0o600)
    secret.write_text(PASSWORD + "\n")
    back = refresh.check()
    assert back is not None and not back[0].out_of_service
    first = next_request(setup.provider, "REGISTER", timeout=15)  # uac_reg's next tick
    assert first is not None, setup.log()[-3000:]
    challenge(setup.provider, first, "401 Unauthorized", "WWW-Authenticate", "n1")
    again = next_request(setup.provider, "REGISTER")
    assert again is not None and proves_password(again, "Authorization", "REGISTER", "n1",
                                                 "4930123")
    answer(setup.provider, again, "200 OK", f"Contact: {again.headers('Contact')[0]}\r\n")

    dial(setup)
    offered = next_request(setup.provider, "INVITE")
    assert offered is not None, setup.log()[-3000:]
    challenge(setup.provider, offered, "407 Proxy Authentication Required",
              "Proxy-Authenticate", "n2")
    retried = next_request(setup.provider, "INVITE")
    assert retried is not None and proves_password(retried, "Proxy-Authorization",
                                                   "INVITE", "n2", "4930123")
    answer(setup.provider, retried, "486 Busy Here")
    busy = setup.engine.final()
    assert busy is not None and busy.status == 486

    secret.unlink()
    gone = refresh.check()
    assert gone is not None and "does not exist" in gone[0].out_of_service
    dial(setup)
    again_refused = setup.engine.final()
    assert again_refused is not None and again_refused.status == 503
    assert next_request(setup.provider, "INVITE", timeout=0.5) is None
