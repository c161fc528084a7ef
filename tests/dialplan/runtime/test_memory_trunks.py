"""`dial trunk` performed by the executor on the in-memory stack (in_memory.py): a number
the trunk allows goes to the edge naming the trunk; one it does not (toll fraud), an
unknown trunk, or no edge at all never leave the service and take `failed`. Over real
SIP with a provider: tests/dialplan/proxy/test_trunks_sip.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialplan.trunks import Trunk
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory

PLAN = """route _X. -> out
flow out {
  start:
    answer
    dial trunk carrier "{{ called }}" timeout 5s {
      failed -> say "That number cannot be called."
      answered -> hangup
    }
    hangup
}
"""
CARRIER = Trunk("carrier", "127.0.0.1:5090", "u", register=False)
EDGE = "127.0.0.1:5060"


def test_an_allowed_number_goes_to_the_edge_naming_the_trunk(tmp_path: Path) -> None:
    asked: list[str] = []

    def edge(uri: str) -> int:
        asked.append(uri)
        return 503  # the trunk is down

    async def scenario() -> None:
        async with serving(tmp_path, PLAN, MemoryStack(on_dial=edge), registrar=EDGE,
                           trunks=(CARRIER,)) as served:
            call = served.call("030123456")
            await served.until(lambda: served.said(call) == ["That number cannot be called."])

    asyncio.run(scenario())
    assert asked == [f"sip:030123456@{EDGE};dp-trunk=carrier"]


@pytest.mark.parametrize(("number", "settings"), [
    ("0044201234567", {"registrar": EDGE, "trunks": (CARRIER,)}),  # international
    ("09001234567", {"registrar": EDGE, "trunks": (CARRIER,)}),  # premium rate
    ("030123456", {"registrar": EDGE}),  # no such trunk
    ("030123456", {"trunks": (CARRIER,)}),  # no edge to reach it through
])
def test_a_refused_trunk_call_never_leaves_and_takes_failed(
        tmp_path: Path, number: str, settings: dict[str, object]) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLAN, **settings) as served:
            call = served.call(number)
            await served.until(lambda: served.said(call) == ["That number cannot be called."])
            assert served.dialled() == []

    asyncio.run(scenario())
