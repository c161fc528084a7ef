"""Media operations as session operations: prompts, recordings, taps, bridges.

Why ids: a session can play and record several things over its life; each
operation returns an id that the matching ``PlaybackFinished`` /
``RecordingFinished`` event carries, so callers can wait for exactly theirs.
Recordings are always closed: on stop, on hangup and at shutdown (the
stack destroys the recorder, which writes the WAV header). Received audio for
``stream_audio`` arrives as signals and is queued here, per tap.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

from engine.manager.groups import BridgeRegistry
from engine.manager.lifecycle import Lifecycle, stack_call
from engine.manager.registry import SessionRegistry
from engine.stack import Stack
from engine.types import BridgeInfo

AUDIO_QUEUE_FRAMES = 250  # 5 s of 20 ms frames kept for a slow consumer


class Media:
    def __init__(
        self,
        stack: Stack,
        registry: SessionRegistry,
        bridges: BridgeRegistry,
        lifecycle: Lifecycle,
    ) -> None:
        self._stack = stack
        self._registry = registry
        self._bridges = bridges
        self._lifecycle = lifecycle
        self._sinks: dict[str, asyncio.Queue[bytes | None]] = {}

    async def play(self, session_id: str, path: str, loop: bool = False) -> str:
        """Play a PCM WAV to the far end; returns the playback id.

        ``loop=True`` is for hold music: it repeats until stopped or hangup.
        """
        session = self._registry.get(session_id)
        if not os.path.isfile(path):
            raise FileNotFoundError(path)
        pid = session.next_media_id("play")
        session.playbacks.add(pid)
        await stack_call("play", self._stack.play(session_id, pid, path, loop), media=True)
        return pid

    async def stop_playback(self, session_id: str, playback_id: str) -> None:
        await stack_call("stop_playback", self._stack.stop_play(session_id, playback_id), True)

    async def record(self, session_id: str, path: str) -> str:
        """Record the far end's audio to a WAV file; returns the recording id."""
        session = self._registry.get(session_id)
        rid = session.next_media_id("rec")
        session.recordings[rid] = path
        await stack_call("record", self._stack.record(session_id, rid, path), media=True)
        return rid

    async def stop_recording(self, session_id: str, recording_id: str) -> None:
        await stack_call(
            "stop_recording", self._stack.stop_record(session_id, recording_id), True
        )

    async def stream_audio(self, session_id: str) -> AsyncIterator[bytes]:
        """Yield received audio as 20 ms frames of 8 kHz 16-bit mono PCM.

        Ends when the call ends or the consumer stops iterating.
        """
        session = self._registry.get(session_id)
        tap_id = session.next_media_id("tap")
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(AUDIO_QUEUE_FRAMES)
        self._sinks[tap_id] = queue
        await stack_call("stream_audio", self._stack.tap(session_id, tap_id), media=True)
        try:
            while (frame := await queue.get()) is not None:
                yield frame
        finally:
            if self._sinks.pop(tap_id, None) is not None and self._lifecycle.running:
                await self._stack.untap(session_id, tap_id)

    def deliver_audio(self, tap_id: str, pcm: bytes) -> None:
        """A frame for a tap; a slow consumer loses the oldest audio, not the newest."""
        sink = self._sinks.get(tap_id)
        if sink is not None:
            if sink.full():
                sink.get_nowait()
            sink.put_nowait(pcm)

    def close_taps(self, session_id: str | None = None) -> None:
        """End the audio streams of one session (or all): their iterators finish."""
        prefix = "" if session_id is None else session_id + "-"
        for tap_id in [t for t in self._sinks if t.startswith(prefix)]:
            self._sinks.pop(tap_id).put_nowait(None)

    async def bridge(self, first: str, second: str) -> BridgeInfo:
        """Connect two sessions' audio both ways; ends when either leg ends."""
        self._registry.get(first)
        self._registry.get(second)
        info = self._bridges.add(first, second)
        await stack_call("bridge", self._stack.bridge(first, second), media=True)
        return info

    async def unbridge(self, bridge: BridgeInfo | str) -> None:
        """Disconnect a bridge (by value or id); harmless if it already ended."""
        bridge_id = bridge if isinstance(bridge, str) else bridge.bridge_id
        info = self._bridges.remove(bridge_id)
        if info is not None:
            await stack_call("unbridge", self._stack.unbridge(*info.session_ids), True)
