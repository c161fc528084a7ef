"""The commands that bring in another party or keep the caller's voice, performed by
the executor on the in-memory stack (in_memory.py): dial, queue and record. Over SIP:
test_actions_{dial,queue,record}.py."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory

AGENT, OTHER = "sip:agent@127.0.0.1:5090", "sip:bob@127.0.0.1:5090"


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


EXTENSION = """route 200 -> office
flow office {
  start:
    answer
    dial extension "201" timeout 5s {
      unavailable -> say "Nobody is registered there."
      answered -> hangup
    }
    hangup
}
"""


def test_dial_extension_rings_the_registrar_and_an_unregistered_one_is_unavailable(
        tmp_path: Path) -> None:
    asked: list[str] = []

    def registrar(uri: str) -> int:
        asked.append(uri)
        return 480  # Kamailio: no contact registered for it

    async def scenario() -> None:
        async with serving(tmp_path, EXTENSION, MemoryStack(on_dial=registrar),
                           registrar="127.0.0.1:5060") as served:
            call = served.call("200")
            await served.until(lambda: served.said(call) == ["Nobody is registered there."])
            await served.ended(call)

    asyncio.run(scenario())
    assert asked == ["sip:201@127.0.0.1:5060"]


def test_without_a_registrar_every_extension_is_unavailable_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, EXTENSION) as served:
            call = served.call("200")
            await served.until(lambda: served.said(call) == ["Nobody is registered there."])
            assert served.dialled() == []

    asyncio.run(scenario())
