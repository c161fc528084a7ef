"""The queue book shared by the workers of a pool: served by the supervisor over a Unix
socket, one JSON request per line (`{"method": "claim", "args": [...]}`), one JSON
answer per line. Methods: queue_book.METHODS (`purge` included, though the supervisor,
which owns the book, may call it directly). Threads, not asyncio: the supervisor runs
no event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socketserver
import threading
from pathlib import Path

from .book import METHODS, QueueBook


def serve_queue_book(book: QueueBook, path: Path) -> socketserver.ThreadingUnixStreamServer:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for line in self.rfile:
                try:
                    request = json.loads(line)
                    if request["method"] not in METHODS:
                        raise ValueError(request["method"])
                    answer = {"ok": getattr(book, request["method"])(*request.get("args", []))}
                except (ValueError, KeyError, TypeError) as error:
                    answer = {"error": str(error)}
                self.wfile.write(json.dumps(answer).encode() + b"\n")

    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    server = socketserver.ThreadingUnixStreamServer(str(path), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class RemoteQueueStore:
    """A worker's view of the supervisor's book: one connection, one request at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        async with self._lock:
            if self._streams is not None:
                self._streams[1].close()
                self._streams = None

    async def call(self, method: str, *args: object) -> object:
        async with self._lock:
            if self._streams is None:
                self._streams = await asyncio.open_unix_connection(str(self.path))
            reader, writer = self._streams
            writer.write(json.dumps({"method": method, "args": list(args)}).encode() + b"\n")
            await writer.drain()
            line = await reader.readline()
            if not line:
                self._streams = None
                raise ConnectionError("the queue server went away")
            answer = json.loads(line)
            if "error" in answer:
                raise ValueError(answer["error"])
            return answer["ok"]
