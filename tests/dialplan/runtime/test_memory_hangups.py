"""The caller hangs up at each phase of a call, on the in-memory stack: the run ends at
once, every leg the service placed for the call ends with it, and the engine holds no
session afterwards (test_call_teardown.py and test_actions_*.py prove the same over SIP).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import Served, serving

pytestmark = pytest.mark.memory

OTHER = "sip:bob@127.0.0.1:5090"
PLANS = f"""route 101 -> ringing
route 102 -> prompt
route 103 -> digits
route 104 -> dialling
route 105 -> waiting
route 106 -> voicemail
queue desk {{
  agents "{OTHER}"
  max_wait 20s
}}
flow ringing {{
  start:
    wait 20s
    answer
    hangup
}}
flow prompt {{
  start:
    answer
    say "A long story."
    say "Not reached."
    hangup
}}
flow digits {{
  start:
    answer
    collect pin digits 4 timeout 20s
    say "Not reached."
    hangup
}}
flow dialling {{
  start:
    answer
    dial "{OTHER}" timeout 20s
    say "Not reached."
    hangup
}}
flow waiting {{
  start:
    answer
    queue desk
    say "Not reached."
    hangup
}}
flow voicemail {{
  start:
    answer
    record msg max 20s
    say "Not reached."
    hangup
}}
"""


UNDOING = {"stop_play", "stop_record", "untap", "unbridge", "hangup"}


async def hang_up_when(served: Served, call: str, ready: bool) -> None:
    """The caller hangs up; the call and everything it placed is over within 5 s
    (every wait in PLANS is 20 s), and nothing new is done on the call meanwhile: the
    machine may go on to its next `say` (a prompt or recording ends before the call
    does, as on the wire), but the executor does not play it to a caller who left."""
    assert ready
    before = len(served.wire.actions)
    served.far_end.hang_up(call)
    await served.ended(call)
    await served.all_over()
    after = served.wire.actions[before:]
    assert {a.verb for a in after if a.session_id == call} <= UNDOING


@pytest.mark.parametrize("turns", range(8))
def test_a_caller_who_hangs_up_at_once_leaves_no_call_behind(tmp_path: Path,
                                                             turns: int) -> None:
    """However far the INVITE got (handler, admission, the run's start) before the
    CANCEL, the call's run ends and nothing is left."""
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("101")
            for _ in range(turns):
                await asyncio.sleep(0)  # one turn of the event loop
            served.far_end.hang_up(call)
            await served.until(lambda: served.state(call) == "ended")
            await served.all_over()

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_ringing_is_cancelled(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("101")
            await served.until(lambda: served.where(call) == "ringing.start")
            await hang_up_when(served, call, served.state(call) == "ringing")
            assert served.response(call) is None  # the caller's CANCEL ended it
            assert served.where(call) == "ended"

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_during_a_prompt_stops_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS, MemoryStack(finish_prompts=False)) as served:
            call = served.call("102")
            await served.until(lambda: bool(served.wire.did("play", call)))
            await hang_up_when(served, call, served.said(call) == ["A long story."])
            assert not served.wire.legs[call].prompts

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_keying_digits_ends_the_collect(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("103")
            await served.until(lambda: served.where(call) == "digits.start")
            served.far_end.press(call, "12")
            await served.until(lambda: served.trace(call).digits == 2)
            await hang_up_when(served, call, True)

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_the_dial_rings_takes_the_leg_down(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("104")
            await served.until(lambda: bool(served.dialled()))
            (leg,) = served.dialled()
            await hang_up_when(served, call, served.state(leg) == "ringing")
            assert served.wire.legs[leg].ended_by == "engine"

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_bridged_ends_the_other_leg(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS, MemoryStack(on_dial=lambda uri: 200)) as served:
            call = served.call("104")
            await served.until(lambda: bool(served.wire.bridges))
            (leg,) = served.dialled()
            await hang_up_when(served, call, served.state(leg) == "connected")
            assert served.wire.legs[leg].ended_by == "engine"
            assert not served.wire.bridges

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_queued_is_counted_abandoned(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("105")
            await served.until(lambda: bool(served.dialled()))
            await hang_up_when(served, call, served.records(call, tr.Request) == [
                tr.Request("queue", ("desk",), served.records(call, tr.Request)[0].at)])
            snapshot = await served.service.queues.snapshot()
            assert snapshot["desk"]["abandoned"] == 1 and snapshot["desk"]["callers"] == []
            assert served.wire.legs[served.dialled()[0]].ended_by == "engine"

    asyncio.run(scenario())


def test_a_caller_who_hangs_up_while_recorded_leaves_a_closed_recording(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PLANS) as served:
            call = served.call("106")
            await served.until(lambda: bool(served.wire.did("record", call)))
            served.far_end.speak(call, b"\x10\x00" * 1600)
            await hang_up_when(served, call, True)
            (path,) = (tmp_path / "recordings").glob("*.wav")
            assert path.stat().st_size > 3200  # the audio and a WAV header

    asyncio.run(scenario())
