"""A live scenario's `http` lines, served by real local HTTP servers while its call runs.

Offline the simulator answers a plan's fetches itself; live, the service makes real
requests, so the answers must come from a real server where the plan's URLs point.
Each mock's origin must therefore be `http://127.x.x.x:PORT` (the service's
`allowed_urls` must allow it too): one MockServer listens on each origin, in a thread
with its own event loop, for as long as the scenario's call. Scenarios with mocks take
turns (a lock held from the call's start to its end), since two at once would want the
same ports.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..lookups.mocks import HttpMock
from ..lookups.server import MockServer
from ..sim.driver import Unfollowable

START_LIMIT = 5.0  # seconds for the servers to listen


def _origins(mocks: Sequence[HttpMock]) -> dict[tuple[str, int], list[HttpMock]]:
    grouped: dict[tuple[str, int], list[HttpMock]] = {}
    for mock in mocks:
        parts = urlsplit(mock.url)
        if parts.scheme != "http" or not (parts.hostname or "").startswith("127.") \
                or parts.port is None:
            raise Unfollowable(f"a live `http` mock needs an http://127.x.x.x:PORT URL, "
                               f"not {mock.url}")
        grouped.setdefault((parts.hostname or "", parts.port), []).append(mock)
    return grouped


class LiveMocks:
    def __init__(self, mocks: Sequence[HttpMock], turn: threading.Lock) -> None:
        self.origins = _origins(mocks)
        self.turn = turn
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="http-mocks",
                                       daemon=True)
        self.servers = [MockServer(group, host, port)
                        for (host, port), group in self.origins.items()]

    def start(self) -> None:
        self.turn.acquire()
        self.thread.start()
        try:
            for server in self.servers:
                asyncio.run_coroutine_threadsafe(server.start(), self.loop).result(
                    START_LIMIT)
        except OSError as error:
            self.stop()
            raise Unfollowable(f"cannot serve the `http` mocks: {error}") from None

    def stop(self) -> None:
        try:
            for server in self.servers:
                asyncio.run_coroutine_threadsafe(server.stop(), self.loop).result(START_LIMIT)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(START_LIMIT)
            self.loop.close()
            self.turn.release()
