"""A dial made before `answer` (the way `dial extension` rings a phone while the caller
hears ringing): when the dialled leg answers, the caller is answered with it (200),
bridged, and what the flow does after the bridge is spoken on an answered call. Over
SIP with two softphones: tests/dialplan/test_office_softphones.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory

PLAN = """route 500 -> ringing
flow ringing {
  start:
    dial "sip:bob@127.0.0.1:5090" timeout 5s {
      answered -> say "The other party hung up."
    }
    hangup
}
"""


def test_the_caller_is_answered_when_the_leg_dialled_before_answer_answers(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLAN, MemoryStack(on_dial=lambda uri: 200)) as served:
            call = served.call("500")
            await served.until(lambda: bool(served.wire.bridges))
            assert served.response(call) == 200
            (leg,) = served.dialled()
            served.far_end.hang_up(leg)
            await served.ended(call)
            assert served.said(call) == ["The other party hung up."]

    asyncio.run(scenario())


def test_a_leg_that_never_answers_leaves_the_caller_unanswered(tmp_path: Path) -> None:
    async def scenario() -> None:
        stack = MemoryStack(on_dial=lambda uri: 486)
        async with serving(tmp_path, PLAN, stack) as served:
            call = served.call("500")
            await served.ended(call)
            assert served.response(call) != 200

    asyncio.run(scenario())
