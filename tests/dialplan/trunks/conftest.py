"""The edge between a provider and an engine's side, as a plain dispatcher and as the
registrar (provider.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import start_proxy, stop_proxy
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from tests.engine.support import free_port_block
from tests.support.raw_sip import Peer

from .office_kit import office_copy
from .provider import PASSWORD, REALM, TIMEOUT, Setup, registrar


@pytest.fixture(params=["dispatcher", "registrar"])
def setup(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Setup]:
    port = free_port_block(1)
    provider = Peer(("127.0.0.1", port), host="127.0.0.9")
    engine = Peer(("127.0.0.1", port))
    trunk = Trunk("carrier", f"127.0.0.9:{provider.port}", "4930123",
                  from_user="4930123000", domain=REALM, expires=60, timeout=TIMEOUT,
                  sources=("127.0.0.9/32",))
    settings = ProxySettings("127.0.0.1", port, (f"127.0.0.1:{engine.port}",),
                             tmp_path / "dispatcher.list", ping_interval=30,
                             trunks=(EdgeTrunk(trunk, PASSWORD),),
                             registrar=registrar(tmp_path, request.param))
    process = start_proxy(settings, tmp_path)
    try:
        yield Setup(port, provider, engine, tmp_path)
    finally:
        stop_proxy(process, settings.stop_timeout)
        provider.close()
        engine.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of the office example with extension 201 (office_kit.py)."""
    return office_copy(tmp_path)


@pytest.fixture
def provider() -> Iterator[Peer]:
    """The test provider's socket on 127.0.0.9, for a served office."""
    peer = Peer(("127.0.0.1", 9), host="127.0.0.9")
    try:
        yield peer
    finally:
        peer.close()
