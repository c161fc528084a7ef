"""The queue book shared by the workers of a pool: served by the supervisor over a Unix
socket, one JSON request per line (`{"method": "claim", "args": [...]}`), one JSON
answer per line (`{"ok": ...}` or `{"error": "..."}`). The steps served are the book's
(STEPS; `purge` included, though the supervisor, which owns the book, may call it
directly). Threads, not asyncio: the supervisor runs no event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .book import LEASE, QueueBook
from .store import Snapshot

STEPS = ("join", "leave", "claim", "renew", "release", "purge", "snapshot")


def _steps(book: QueueBook) -> dict[str, Callable[..., object]]:
    """The book's steps by their name on the wire: the only names a request may use."""
    return {"join": book.join, "leave": book.leave, "claim": book.claim,
            "renew": book.renew, "release": book.release, "purge": book.purge,
            "snapshot": book.snapshot}


def serve_queue_book(book: QueueBook, path: Path) -> socketserver.ThreadingUnixStreamServer:
    steps = _steps(book)

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for line in self.rfile:
                try:
                    request = json.loads(line)
                    step = steps.get(request["method"])
                    if step is None:
                        raise ValueError(f"no queue book step {request['method']!r}")
                    answer = {"ok": step(*request.get("args", []))}
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
    """A worker's view of the supervisor's book (a QueueStore): one connection, one
    request at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._lock = asyncio.Lock()

    async def join(self, queue: str, caller: str, limit: int, lease: float = LEASE) -> int:
        return int(await self._ask("join", queue, caller, limit, lease))

    async def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        await self._ask("leave", queue, caller, outcome, waited)

    async def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool,
                    lease: float = LEASE) -> list[str]:
        return [str(a) for a in await self._ask("claim", queue, caller, agents, roundrobin,
                                                lease)]

    async def renew(self, caller: str, agents: list[str], lease: float = LEASE) -> list[str]:
        return [str(a) for a in await self._ask("renew", caller, agents, lease)]

    async def release(self, caller: str, agents: list[str]) -> None:
        await self._ask("release", caller, agents)

    async def purge(self, prefix: str) -> int:
        return int(await self._ask("purge", prefix))

    async def snapshot(self) -> Snapshot:
        return dict(await self._ask("snapshot"))

    async def close(self) -> None:
        async with self._lock:
            if self._streams is not None:
                self._streams[1].close()
                self._streams = None

    async def _ask(self, step: str, *args: object) -> Any:
        """The server's answer (JSON) to one step; its refusal as ValueError."""
        async with self._lock:
            if self._streams is None:
                self._streams = await asyncio.open_unix_connection(str(self.path))
            reader, writer = self._streams
            writer.write(json.dumps({"method": step, "args": list(args)}).encode() + b"\n")
            await writer.drain()
            line = await reader.readline()
            if not line:
                self._streams = None
                raise ConnectionError("the queue server went away")
            answer = json.loads(line)
            if "error" in answer:
                raise ValueError(answer["error"])
            return answer["ok"]
