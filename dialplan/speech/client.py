"""The engine side of the speech service: stream a caller's audio, get events back."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

from .protocol import frame, parse_event
from .recognizer import SpeechEvent


class SpeechSession:
    """One utterance. Feed frames as they arrive; read events as they come."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self.answered = False

    @classmethod
    async def open(cls, socket_path: Path, grammar: list[str], rate: int = 8000
                   ) -> SpeechSession:
        reader, writer = await asyncio.open_unix_connection(str(socket_path))
        header = {"grammar": grammar, "rate": rate}
        writer.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
        return cls(reader, writer)

    @property
    def over(self) -> bool:
        """The result is in (or the connection is gone): more audio would be dropped."""
        return self.answered or self._writer.is_closing()

    def feed(self, pcm: bytes) -> None:
        if not self.over:
            self._writer.write(frame(pcm))

    async def finish(self) -> None:
        """No more audio: the service answers with what it heard (if it has not yet) and
        closes the session."""
        if not self._writer.is_closing():
            self._writer.write(frame(b""))
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    async def events(self) -> AsyncIterator[SpeechEvent]:
        while line := await self._reader.readline():
            event = parse_event(line)
            self.answered = self.answered or event.kind == "result"
            yield event

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()
