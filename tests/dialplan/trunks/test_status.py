"""A trunk's registration as the admin API (`/trunks`) and the metrics show it, read
from a real Kamailio edge through its control socket while a provider (a raw SIP peer
on 127.0.0.9) first leaves its REGISTER unanswered, then accepts it. Never the
password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import start_proxy, stop_proxy
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from dialplan.trunks.status import TrunkStatus, describe
from tests.dialplan.trunks.provider import next_request, reply
from tests.engine.support import free_port_block
from tests.support.harness import wait_for
from tests.support.raw_sip import Peer

PASSWORD = "pr0vider-Secret"


def wait_for_state(status: TrunkStatus, name: str, state: str, limit: float = 5.0) -> None:
    """Until the edge says trunk `name` is in `state` (a failed assertion after `limit`)."""
    wait_for(lambda: any(t["name"] == name and t["state"] == state for t in status.now()),
             limit, lambda: f"{name} never {state}: {status.now()}")


@pytest.mark.sip
def test_the_registration_state_and_gauge_follow_the_provider(tmp_path: Path) -> None:
    port = free_port_block(1)
    provider = Peer(("127.0.0.1", port), host="127.0.0.9")
    carrier = Trunk("carrier", f"127.0.0.9:{provider.port}", "4930123",
                    domain="carrier.example")
    quiet = Trunk("quiet", "127.0.0.9:9", register=False)
    control = f"unix:{tmp_path / 'kamailio.ctl'}"
    settings = ProxySettings("127.0.0.1", port, (), tmp_path / "d.list", control=control,
                             trunks=(EdgeTrunk(carrier, PASSWORD), EdgeTrunk(quiet)))
    process = start_proxy(settings, tmp_path)
    status = TrunkStatus((carrier, quiet), control)
    registry = CollectorRegistry()
    registry.register(status)
    try:
        register = next_request(provider, "REGISTER")
        assert register is not None
        wait_for_state(status, "carrier", "registering")
        assert b'dialplan_trunk_registered{trunk="carrier"} 0.0' in generate_latest(registry)
        contact = register.headers("Contact")[0]
        reply(provider, register, "200 OK", f"Contact: {contact};expires=600\r\n")
        wait_for_state(status, "carrier", "registered")
        shown = status.now()
        assert shown[1]["state"] == "not registering"
        assert 500 < shown[0]["expires_in"] <= 600
        assert PASSWORD not in json.dumps(shown)
        assert b'dialplan_trunk_registered{trunk="carrier"} 1.0' in generate_latest(registry)
    finally:
        stop_proxy(process)
        provider.close()


def test_an_edge_that_does_not_answer_is_said_so() -> None:
    trunk = Trunk("carrier", "127.0.0.9:5090", "u")
    assert describe(trunk, None)["state"] == "unknown: the edge does not answer"
    assert describe(trunk, {})["state"] == "not registered"
    assert describe(trunk, {"carrier": (1, -1)})["state"] == "disabled"


def test_a_trunk_without_its_password_is_shown_out_of_service_with_the_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRUNK_STATUS_PASSWORD", raising=False)
    trunk = Trunk("carrier", "127.0.0.9:5090", "u", password_env="TRUNK_STATUS_PASSWORD")
    shown = describe(trunk, {"carrier": (4, 300)})
    assert shown["state"] == "out of service"
    assert "TRUNK_STATUS_PASSWORD, which is not set" in shown["reason"]
