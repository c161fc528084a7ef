"""Media on the in-memory stack: prompts, recordings, audio taps, bridges, the watchdog."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import pytest

from engine import CallEnded, PlaybackFinished, RecordingFinished, SessionManagerBuilder
from engine.testing import MemoryStack
from tests.engine.manager.support import answered_call, build, run

SPEECH = bytes(range(256)) * 5  # 1280 bytes: four 20 ms frames of 16-bit PCM


def prompt(tmp_path: Path) -> str:
    path = tmp_path / "hello.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(1600))
    return str(path)


def test_prompt_plays_to_its_end(tmp_path: Path) -> None:
    stack, path = MemoryStack(), prompt(tmp_path)

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                pid = await call.play(path)
                done = await events.wait_for(PlaybackFinished, timeout=2)
            assert (done.playback_id, done.stopped) == (pid, False)
            assert stack.wire.played(call.id) == [path]
            with pytest.raises(FileNotFoundError):
                await call.play(str(tmp_path / "missing.wav"))

    run(scenario())


def test_caller_hang_up_during_a_prompt_stops_it_before_the_end(tmp_path: Path) -> None:
    stack, path = MemoryStack(finish_prompts=False), prompt(tmp_path)

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                await call.play(path)
                stack.far_end.hang_up(call.id)
                stopped = await events.wait_for(PlaybackFinished, timeout=2)
                assert stopped.stopped
                await events.wait_for(CallEnded, timeout=2)

    run(scenario())


def test_recording_holds_what_the_caller_said(tmp_path: Path) -> None:
    stack, path = MemoryStack(), str(tmp_path / "message.wav")

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                rid = await call.record(path)
                stack.far_end.speak(call.id, SPEECH)
                await call.stop_recording(rid)
                done = await events.wait_for(RecordingFinished, timeout=2)
            assert (done.recording_id, done.path) == (rid, path)

    run(scenario())
    with wave.open(path) as audio:
        assert audio.readframes(audio.getnframes()) == SPEECH


def test_caller_hang_up_while_recording_closes_the_file_first(tmp_path: Path) -> None:
    stack, path = MemoryStack(), str(tmp_path / "message.wav")

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                await call.record(path)
                stack.far_end.speak(call.id, SPEECH)
                stack.far_end.hang_up(call.id)
                await events.wait_for(RecordingFinished, timeout=2)
                assert Path(path).stat().st_size > len(SPEECH)  # closed before CallEnded
                await events.wait_for(CallEnded, timeout=2)

    run(scenario())


def test_audio_stream_yields_the_callers_frames_until_hang_up() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            frames: list[bytes] = []

            async def listen() -> None:
                async for frame in call.stream_audio():
                    frames.append(frame)

            listener = asyncio.create_task(listen())
            await stack.wire.until(lambda: stack.wire.did("tap", call.id) != [])
            stack.far_end.speak(call.id, SPEECH)
            await stack.wire.until(lambda: len(frames) == 4)
            stack.far_end.hang_up(call.id)
            await asyncio.wait_for(listener, 2)
            assert b"".join(frames) == SPEECH

    run(scenario())


def test_bridge_connects_two_calls_until_one_hangs_up() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            first = await answered_call(stack, manager)
            second = await answered_call(stack, manager)
            info = await manager.bridge(first.id, second.id)
            assert stack.wire.bridges == {frozenset((first.id, second.id))}
            stack.far_end.hang_up(second.id)
            await second.wait_ended(timeout=2)
            assert stack.wire.bridges == set() and len(manager.bridges) == 0
            await manager.unbridge(info)  # already gone: harmless
            assert stack.wire.did("unbridge") == []

    run(scenario())


def test_unbridge_disconnects_both_ways() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            first = await answered_call(stack, manager)
            second = await answered_call(stack, manager)
            info = await manager.bridge(first.id, second.id)
            await manager.unbridge(info.bridge_id)
            assert stack.wire.bridges == set()
            await first.mute()
            assert stack.wire.did("mute", first.id)[0].detail == (True,)

    run(scenario())


def test_media_watchdog_hangs_up_a_silent_call() -> None:
    stack = MemoryStack()
    builder = SessionManagerBuilder().with_media_timeout(0.4)

    async def scenario() -> None:
        async with build(stack, builder=builder) as manager:
            call = await answered_call(stack, manager)
            stack.far_end.go_silent(call.id)
            await call.wait_ended(timeout=3)
            assert stack.wire.legs[call.id].ended_by == "engine"

    run(scenario())
