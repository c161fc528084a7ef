"""The speech service: loads the model once, then serves utterances over a Unix socket.

Recognition is CPU work, so each connection's frames are fed to vosk in a thread of
the default executor; the event loop only moves bytes. A client that sends garbage
or vanishes loses its connection, nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
from pathlib import Path
from typing import Any

from .model import load_model
from .protocol import HEADER_LIMIT, MAX_FRAME, event_line, parse_header
from .recognizer import Utterance

log = logging.getLogger(__name__)


class SpeechService:
    def __init__(self, model_path: Path, socket_path: Path) -> None:
        self.model: Any = load_model(model_path)  # raises ModelMissing early, at start-up
        self.socket_path = socket_path
        self.sessions = 0

    async def serve(self, ready: asyncio.Event | None = None,
                    stop: asyncio.Event | None = None) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.socket_path)
        server = await asyncio.start_unix_server(self._session, path=str(self.socket_path),
                                                 limit=HEADER_LIMIT)
        async with server:
            if ready is not None:
                ready.set()
            await (stop.wait() if stop is not None else asyncio.Event().wait())

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                       ) -> None:
        self.sessions += 1
        loop = asyncio.get_running_loop()
        try:
            grammar, rate = parse_header(await reader.readline())
            utterance = Utterance(self.model, grammar, rate)
            while True:
                size = struct.unpack(">I", await reader.readexactly(4))[0]
                if size > MAX_FRAME:
                    raise ValueError(f"frame of {size} bytes")
                pcm = await reader.readexactly(size) if size else b""
                if utterance.done and size:
                    continue  # answered already: audio until the client's end is dropped
                if size:
                    events = await loop.run_in_executor(None, utterance.feed, pcm)
                else:
                    events = await loop.run_in_executor(None, utterance.finish)
                for event in events:
                    writer.write(event_line(event))
                await writer.drain()
                if size == 0:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the caller's engine went away: nothing to answer
        except ValueError as error:
            log.warning("speech session refused: %s", error)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
