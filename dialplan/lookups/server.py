"""A real HTTP server on a loopback address that answers with scenario mocks.

`dialplan test --live` runs one where a plan's fetch URLs point (127.0.0.x only), and
tests use it as the far end of real lookups: each request is matched to a mock by its
full URL or by its path and query, answered after the mock's delay, and recorded (method,
path as sent, headers, body) so a test can see what reached the server. A mock that is
`down` gets its connection closed with no answer. Stopping waits at most a moment for
requests still being delayed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web

from .mocks import HttpMock, find_mock

LOOPBACK_PREFIX = "127."


@dataclass(frozen=True)
class Received:
    method: str
    path: str  # path and query exactly as sent (still %-quoted)
    headers: dict[str, str]
    body: bytes


class MockServer:
    def __init__(self, mocks: Sequence[HttpMock], host: str = "127.0.0.1", port: int = 0
                 ) -> None:
        if not host.startswith(LOOPBACK_PREFIX):
            raise ValueError(f"the mock server listens on loopback only, not {host}")
        self.mocks, self.host, self.port = list(mocks), host, port
        self.received: list[Received] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        """Listen; the server's base URL (its port chosen now when it was 0)."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._answer)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        path = request.raw_path
        self.received.append(Received(request.method, path, dict(request.headers),
                                      await request.read()))
        mock = find_mock(self.url + path, self.mocks) or find_mock(path, self.mocks)
        if mock is None:
            return web.Response(status=404, text="no mock")
        if mock.delay > 0:
            await asyncio.sleep(mock.delay)
        if mock.down and request.transport is not None:
            request.transport.close()
        headers = {"Location": mock.location} if mock.location else {}
        headers.update(mock.headers)
        return web.Response(status=mock.status, body=mock.body.encode(), headers=headers,
                            content_type="application/json")
