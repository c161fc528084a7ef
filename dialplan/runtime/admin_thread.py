"""An admin endpoint for a process without an event loop (the pool's supervisor): one
thread with a loop of its own serves it, whatever the number of connections."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from aiohttp import web

from .admin_http import AdminServer

START_TIMEOUT = 10.0


class AdminThread:
    """Serves the application `make()` builds (in the thread's loop) on host:port."""

    def __init__(self, make: Callable[[], web.Application], host: str, port: int,
                 idle_timeout: float) -> None:
        self.make, self.host, self.port, self.idle_timeout = make, host, port, idle_timeout
        self._thread = threading.Thread(target=self._run, name="admin", daemon=True)
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self) -> None:
        """Listening once this returns; raises what kept it from listening."""
        self._thread.start()
        if not self._started.wait(START_TIMEOUT):
            raise RuntimeError("the admin endpoint did not start")
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(START_TIMEOUT)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop))
        finally:
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._stop = loop, asyncio.Event()
        server = AdminServer(self.make(), self.host, self.port, self.idle_timeout)
        try:
            await server.start()
        except BaseException as error:
            self._failure = error
            self._started.set()
            await server.stop()
            return
        self._started.set()
        await self._stop.wait()
        await server.stop()
