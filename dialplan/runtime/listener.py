"""Speech input for a call: stream its audio to the host's speech service and turn the
service's events into machine events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

import engine

from ..machine import events as ev
from ..speech.client import SpeechSession

log = logging.getLogger(__name__)


class Listener:
    def __init__(self, socket: Path | None, session: engine.CallSession,
                 post: Callable[[ev.Event], None]) -> None:
        self.socket, self.session, self.post = socket, session, post
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, phrases: tuple[str, ...]) -> None:
        await self.stop()
        if self.socket is None:
            log.warning("speech input asked for, but no speech service is configured")
            return
        try:
            speech = await SpeechSession.open(self.socket, list(phrases))
        except OSError as error:
            log.warning("speech service unreachable at %s: %s", self.socket, error)
            return
        self._tasks = [asyncio.create_task(self._feed(speech)),
                       asyncio.create_task(self._events(speech))]

    async def _feed(self, speech: SpeechSession) -> None:
        try:
            async for frame in self.session.stream_audio():
                if speech.over:
                    await speech.finish()  # recognized: end the session, stop streaming
                    return
                speech.feed(frame)
        except Exception as error:  # the call ended: the stream is over
            log.debug("audio stream ended: %s", error)

    async def _events(self, speech: SpeechSession) -> None:
        try:
            async for event in speech.events():
                if event.kind == "started":
                    self.post(ev.SpeechStarted())
                else:
                    self.post(ev.SpeechResult(event.text, event.confidence))
        finally:
            await speech.close()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
