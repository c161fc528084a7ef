"""Each command the machine issues, performed by the executor on the in-memory stack:
answer, say, menu, collect, transfer, dial, queue, record and hangup (in_memory.py).
The same behaviours are proven over SIP by test_actions_*.py and test_demo.py."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving
from tests.support.harness import ROOT

pytestmark = pytest.mark.memory

DEMO = (ROOT / "examples/dialplans/demo.dialplan").read_text()
AGENT, OTHER = "sip:agent@127.0.0.1:5090", "sip:bob@127.0.0.1:5090"


def test_answer_say_menu_and_hangup_run_the_demo_to_its_goodbye(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: served.where(call) == "demo.menu"
                               and len(served.said(call)) == 2 and served.quiet(call))
            assert served.response(call) == 200
            served.far_end.press(call, "1")
            await served.ended(call)
            assert served.said(call) == ["Welcome to the dialplan demo.",
                                         "Press 1 to hear goodbye. Press 2 to be transferred.",
                                         "Goodbye."]
            assert served.wire.legs[call].ended_by == "engine"
            assert len(served.wire.played(call)) == 3

    asyncio.run(scenario())


def test_a_wrong_key_runs_nomatch_and_the_menu_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "7")
            await served.until(lambda: len(served.said(call)) == 4)
            assert served.said(call)[2:] == [
                "That is not an option.", "Press 1 to hear goodbye. Press 2 to be transferred."]
            assert served.where(call) == "demo.menu"

    asyncio.run(scenario())


def test_an_unrouted_number_gets_404_and_is_counted(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("999")
            await served.until(lambda: served.state(call) == "ended")
            assert served.response(call) == 404
            assert b"dialplan_calls_unrouted_total 1.0" in served.service.context.metrics.text()

    asyncio.run(scenario())


PIN = """route 301 -> pin
flow pin {
  start:
    answer
    collect pin "Enter your pin." digits 2..6 until "#" timeout 2s attempts 3
    say "You entered {{ pin }}."
    hangup cause busy
}
"""


def test_collect_gathers_digits_until_the_terminator_and_hangup_gives_its_cause(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PIN) as served:
            call = served.call("301")
            await served.until(lambda: served.said(call) == ["Enter your pin."]
                               and served.quiet(call))
            served.far_end.press(call, "42#")
            await served.ended(call)
            assert served.said(call)[-1] == "You entered 42."
            assert served.trace(call).variables["pin"] == "42"
            assert served.records(call, tr.Hangup) == [tr.Hangup("busy", 486, ANY_AT)]

    asyncio.run(scenario())


class _AnyAt(float):
    """Equal to any `at`: records are compared by what they say, not when."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float | int)

    def __hash__(self) -> int:
        return 0


ANY_AT = _AnyAt()


def test_a_transfer_the_far_end_accepts_ends_the_call(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.until(lambda: bool(served.records(call, tr.Result)))
            assert served.wire.did("transfer", call)[0].detail == ("sip:200@127.0.0.1:5070",)
            assert served.records(call, tr.Request) == [
                tr.Request("transfer", ("sip:200@127.0.0.1:5070",), ANY_AT)]
            assert served.records(call, tr.Result)[0].outcome == "answer"

    asyncio.run(scenario())


def test_a_refused_transfer_runs_its_failed_branch(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO, MemoryStack(transfer_status=486)) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.ended(call)
            assert served.said(call)[-2:] == ["The transfer failed.", "Goodbye."]
            assert served.records(call, tr.Result)[0].outcome == "busy"

    asyncio.run(scenario())


def test_a_transfer_outside_allowed_targets_fails_without_a_refer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO, allowed_targets=("sip:*@192.0.2.1*",)) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.ended(call)
            assert served.said(call)[-2:] == ["The transfer failed.", "Goodbye."]
            assert not served.wire.did("transfer")

    asyncio.run(scenario())


DIAL = f"""route 500 -> bridged
route 501 -> busy
route 502 -> unanswered
flow bridged {{
  start:
    answer
    dial "{OTHER}" timeout 5s {{
      answered -> say "The other party hung up."
      busy -> hangup
    }}
    hangup
}}
flow busy {{
  start:
    answer
    dial "{OTHER}" timeout 5s {{
      busy -> goto busy_line
    }}
    hangup
  busy_line:
    say "The line is busy."
    hangup
}}
flow unanswered {{
  start:
    answer
    dial "{OTHER}" timeout 300ms {{
      noanswer -> say "Nobody answered."
    }}
    hangup
}}
"""


def test_dial_bridges_the_leg_that_answers_until_it_hangs_up(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DIAL, MemoryStack(on_dial=lambda uri: 200)) as served:
            call = served.call("500")
            await served.until(lambda: bool(served.wire.bridges))
            (leg,) = served.dialled()
            assert served.wire.bridges == {frozenset((call, leg))}
            assert [row.get("leg") for row in served.service.calls.rows()] == [None, "dial"]
            served.far_end.hang_up(leg)
            await served.ended(call)
            assert served.said(call) == ["The other party hung up."]
            assert [r.of for r in served.records(call, tr.Result)] == ["dial", "bridge"]

    asyncio.run(scenario())


def test_dial_tells_busy_and_noanswer_apart(tmp_path: Path) -> None:
    async def scenario() -> None:
        busy = MemoryStack(on_dial=lambda uri: 486)
        async with serving(tmp_path / "busy", DIAL, busy) as served:
            call = served.call("501")
            await served.ended(call)
            assert served.said(call) == ["The line is busy."]
        async with serving(tmp_path / "rings", DIAL, MemoryStack(on_dial=lambda uri: None)
                           ) as served:
            call = served.call("502")
            await served.ended(call)
            assert served.said(call) == ["Nobody answered."]
            assert served.wire.legs[served.dialled()[0]].ended_by == "engine"

    asyncio.run(scenario())


QUEUE = f"""route 600 -> waiting
queue support {{
  agents "{AGENT}"
  music "hold_music"
  max_wait 20s
}}
flow waiting {{
  start:
    answer
    queue support {{
      answered -> say "Thank you for waiting."
    }}
    hangup
}}
"""


def test_a_queued_caller_hears_music_until_an_agent_answers_and_is_bridged(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, QUEUE, MemoryStack(finish_prompts=False)) as served:
            call = served.call("600")
            await served.until(lambda: bool(served.dialled()))
            (agent,) = served.dialled()
            music = served.wire.did("play", call)[0].detail
            assert music[1].endswith("hold_music.wav") and music[2] is True  # looped
            served.far_end.pick_up(agent)
            await served.until(lambda: bool(served.wire.bridges))
            assert served.wire.did("stop_play", call)
            snapshot = await served.service.queues.snapshot()
            assert snapshot["support"]["answered"] == 1
            served.far_end.hang_up(agent)
            await served.until(lambda: served.said(call) == ["Thank you for waiting."])

    asyncio.run(scenario())


VOICEMAIL = """route 700 -> voicemail
flow voicemail {
  start:
    answer
    record msg max 10s finish "#"
    say "Got it."
    hangup
}
"""
SECOND = b"\x10\x00" * 8000  # one second of 8 kHz 16-bit audio


def test_record_keeps_what_the_caller_said_until_the_finish_key(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, VOICEMAIL) as served:
            call = served.call("700")
            await served.until(lambda: bool(served.wire.did("record", call)))
            served.far_end.speak(call, SECOND)
            served.far_end.press(call, "#")
            await served.ended(call)
            assert served.said(call) == ["Got it."]
            (path,) = (tmp_path / "recordings").glob("*.wav")
            with wave.open(str(path)) as audio:
                assert audio.getnframes() == 8000
            assert [r.name for r in served.records(call, tr.Record)] == ["msg"]

    asyncio.run(scenario())
