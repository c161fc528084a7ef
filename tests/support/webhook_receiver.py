"""A real webhook receiver on 127.0.0.1 (aiohttp's server) for tests: it checks every
request's signature as docs/webhooks.md tells receivers to, keeps what it got, and
answers as the test scripts it: a status per request (then 200), or a delay first.

In a test's own event loop: `async with receiving(SECRET) as receiver`; for a service
in another process (SIP tests), `receiver_thread(SECRET)` runs it on a thread's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from dialplan.webhooks.signing import HEADER, verify

SECRET = "test-secret-0123456789abcdef"


@dataclass
class Received:
    event: dict[str, Any]
    signed: bool  # the signature checked out (body, secret and time)
    headers: dict[str, str]
    status: int  # what the receiver answered


@dataclass
class Receiver:
    secret: str
    statuses: list[int] = field(default_factory=list)  # answers to give, in turn; then 200
    delay: float = 0.0  # seconds to wait before answering (a slow receiver)
    got: list[Received] = field(default_factory=list)  # every request, in arrival order
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def taken(self) -> list[dict[str, Any]]:
        """The events answered 2xx, in arrival order."""
        return [r.event for r in self.got if r.status == 200]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [event for event in self.taken() if event["event"] == name]

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        signed = verify(self.secret, request.headers.get(HEADER, ""), body, time.time())
        status = self.statuses.pop(0) if self.statuses else 200
        self.got.append(Received(json.loads(body), signed, dict(request.headers), status))
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.Response(status=status)


@contextlib.asynccontextmanager
async def receiving(secret: str = SECRET, statuses: list[int] | None = None,
                    delay: float = 0.0) -> AsyncIterator[Receiver]:
    receiver = Receiver(secret, list(statuses or []), delay)
    app = web.Application()
    app.router.add_post("/hooks", receiver.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    receiver.port = runner.addresses[0][1]
    try:
        yield receiver
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def receiver_thread(secret: str = SECRET) -> Iterator[Receiver]:
    """The receiver on a thread of its own, for a service in another process."""
    loop = asyncio.new_event_loop()
    started: list[Receiver] = []
    ready, stop = threading.Event(), asyncio.Event()

    async def serve() -> None:
        async with receiving(secret) as receiver:
            started.append(receiver)
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(10), "the webhook receiver did not start"
    try:
        yield started[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
