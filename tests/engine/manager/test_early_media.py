"""Early media on the in-memory stack: 183 before the answer, prompts heard only once a
media path is up, and every way out of early media (answer, refusal, the caller's
CANCEL). The same behaviour on real SIP: tests/engine/test_early_media.py."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from engine import CallEnded, CallState, InvalidState, PlaybackFinished
from engine.testing import MemoryStack
from tests.engine.manager.support import ALICE, SERVICE, Deferring, build, run


def prompt(tmp_path: Path) -> str:
    path = tmp_path / "early.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(1600))
    return str(path)


def test_progress_sends_183_and_a_prompt_then_is_heard_before_the_answer(
        tmp_path: Path) -> None:
    stack, path = MemoryStack(finish_prompts=False), prompt(tmp_path)

    async def scenario() -> None:
        async with build(stack, Deferring()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            call = manager.get_session(sid)
            await call.play(path)  # ringing: no media path, nobody hears it
            await call.progress()
            await call.progress()  # a second progress changes nothing
            assert call.state == CallState.EARLY_MEDIA
            assert stack.wire.legs[sid].state == "early"
            await call.play(path)
            assert stack.wire.legs[sid].heard == [path]
            await call.accept()
            await stack.wire.until(lambda: call.state == CallState.ACTIVE)
            statuses = [a.detail[0] for a in stack.wire.did("answer", sid)]
            assert statuses == [183, 200]

    run(scenario())


def test_caller_cancel_during_early_media_ends_the_call_and_stops_its_prompt(
        tmp_path: Path) -> None:
    stack, path, handler = MemoryStack(finish_prompts=False), prompt(tmp_path), Deferring()

    async def scenario() -> None:
        async with build(stack, handler) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            call = manager.get_session(sid)
            await call.progress()
            with call.events() as events:
                pid = await call.play(path, loop=True)
                stack.far_end.hang_up(sid)
                stopped = await events.wait_for(PlaybackFinished, timeout=2)
                ended = await events.wait_for(CallEnded, timeout=2)
            assert (stopped.playback_id, stopped.stopped) == (pid, True)
            assert ended.status == 487
            await stack.wire.until(lambda: handler.ended == [sid])
            assert (await manager.live_objects())["players"] == 0

    run(scenario())


def test_refusing_an_early_media_call_gives_its_final_error_not_a_200() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack, Deferring()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            call = manager.get_session(sid)
            await call.progress()
            await call.reject(480, "Temporarily Unavailable")
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "ended")
            assert stack.wire.legs[sid].response == 480
            assert [a.detail[0] for a in stack.wire.did("answer", sid)] == [183]

    run(scenario())


def test_progress_on_an_answered_call_is_refused() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "connected")
            with pytest.raises(InvalidState):
                await manager.get_session(sid).progress()

    run(scenario())


def test_terminating_an_early_media_call_declines_it() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack, Deferring()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            call = manager.get_session(sid)
            await call.progress()
            with call.events() as events:
                await call.terminate()
                ended = await events.wait_for(CallEnded, timeout=2)
            assert (ended.status, stack.wire.legs[sid].response) == (603, 603)

    run(scenario())
