"""A lazy admin endpoint (a pool's worker, runtime/admin_http.py): nothing of aiohttp is
set up until the first connection, which is answered as an eager endpoint would; a
request sent in pieces before the set-up is done is held, not lost; one that never
came leaves nothing to clean up. Real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
from aiohttp import web

from dialplan.runtime.admin_http import MAX_LINE, AdminServer, admin_app
from dialplan.runtime.admin_tokens import AdminTokens, Scope


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Made:
    """Makes the application and counts how often it was asked to."""

    def __init__(self, tokens: AdminTokens) -> None:
        self.tokens, self.times = tokens, 0

    def __call__(self) -> web.Application:
        self.times += 1
        app = admin_app(self.tokens)

        async def hello(request: web.Request) -> web.Response:
            return web.json_response({"hello": True})

        app.add_routes([web.get("/hello", hello)])
        return app


def test_the_application_is_made_on_the_first_request_and_answers_it(tmp_path: Path
                                                                      ) -> None:
    tokens = AdminTokens(tmp_path / "admin")
    made = Made(tokens)

    async def scenario() -> None:
        server = AdminServer(made, "127.0.0.1", free_port(), 5.0, lazy=True)
        await server.start()
        try:
            assert made.times == 0
            headers = {"Authorization": f"Bearer {tokens.token(Scope.READ)}"}
            async with aiohttp.ClientSession() as session:
                for _ in range(2):
                    async with session.get(f"http://127.0.0.1:{server.port}/hello",
                                           headers=headers) as answer:
                        assert answer.status == 200
                        assert await answer.json() == {"hello": True}
                async with session.get(f"http://127.0.0.1:{server.port}/hello") as answer:
                    assert answer.status == 401  # the guard is there from the first request
            assert made.times == 1
        finally:
            await server.stop()

    asyncio.run(scenario())


def test_a_request_sent_in_pieces_before_the_set_up_is_answered(tmp_path: Path) -> None:
    made = Made(AdminTokens(tmp_path / "admin"))

    async def scenario() -> None:
        server = AdminServer(made, "127.0.0.1", free_port(), 5.0, lazy=True)
        await server.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /healthz HTTP/1.1\r\n")  # /healthz: public, and not routed
            await writer.drain()
            writer.write(b"Host: x\r\nConnection: close\r\n\r\n")
            reply = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert reply.startswith(b"HTTP/1.1 404")
        finally:
            await server.stop()

    asyncio.run(scenario())


def test_a_flood_before_the_set_up_is_cut_off(tmp_path: Path) -> None:
    made = Made(AdminTokens(tmp_path / "admin"))

    async def scenario() -> None:
        server = AdminServer(made, "127.0.0.1", free_port(), 5.0, lazy=True)
        await server.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /" + b"a" * (MAX_LINE * 8))
            reply = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert not reply.startswith(b"HTTP/1.1 200")
        finally:
            await server.stop()

    asyncio.run(scenario())


def test_an_endpoint_never_asked_stops_cleanly(tmp_path: Path) -> None:
    made = Made(AdminTokens(tmp_path / "admin"))

    async def scenario() -> None:
        server = AdminServer(made, "127.0.0.1", free_port(), 5.0, lazy=True)
        await server.start()
        await server.stop()

    asyncio.run(scenario())
    assert made.times == 0
