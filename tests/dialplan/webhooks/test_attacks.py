"""What a hostile caller or receiver can do to webhooks, tried: caller input that looks
like JSON cannot change an event's fields or its signature; a receiver streaming an
endless answer is not read (the delivery counts, no memory held); one that never
finishes its headers is cut at the timeout."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from dialplan.machine import CallInfo
from dialplan.webhooks.dispatch import Webhooks
from dialplan.webhooks.settings import WebhookConfig
from tests.support.webhook_receiver import SECRET, receiving

AT = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Tally(collections.Counter[str]):
    def count(self, name: str, amount: float = 1) -> None:
        self[name] += int(amount)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def hostile(handler: Handler) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/hooks", handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/hooks"
    finally:
        await runner.cleanup()


def post_one(hooks: Webhooks, caller: str = "5551234") -> None:
    life = hooks.lifecycle("in-1", "x@y", CallInfo(caller, "100"), "v1")
    hooks.post(life.ended(AT))


def test_caller_input_shaped_like_json_stays_one_string_and_the_event_verifies() -> None:
    forged = '5551234","outcome":"transferred"}\n\u2028\x00<script>'

    async def scenario() -> None:
        async with receiving() as receiver:
            hooks = Webhooks(WebhookConfig(urls=(receiver.url,), secret=SECRET), Tally())
            await hooks.start()
            post_one(hooks, forged)
            await until(lambda: len(receiver.taken()) == 1)
            await hooks.stop(1)
        [got] = receiver.got
        assert got.signed and got.event["call"]["caller"] == forged
        assert got.event["outcome"] == "dropped"  # not what the caller wrote
        assert json.loads(json.dumps(got.event)) == got.event
    asyncio.run(scenario())


def test_an_endless_answer_is_not_read() -> None:
    async def endless(request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse()
        await response.prepare(request)
        chunk = b"x" * 65536
        with contextlib.suppress(ConnectionError):
            while True:
                await response.write(chunk)
        return response

    async def scenario() -> Tally:
        tally = Tally()
        async with hostile(endless) as url:
            hooks = Webhooks(WebhookConfig(urls=(url,), secret=SECRET, timeout=2), tally)
            await hooks.start()
            for _ in range(3):
                post_one(hooks)
            await until(lambda: tally["webhooks_delivered_total"] == 3)
            await hooks.stop(0)
        return tally
    assert asyncio.run(scenario()) == {"webhooks_delivered_total": 3}


def test_a_receiver_that_never_finishes_its_answer_is_cut_at_the_timeout() -> None:
    async def stalls(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(3600)
        return web.Response()

    async def scenario() -> tuple[Tally, float]:
        tally = Tally()
        async with hostile(stalls) as url:
            hooks = Webhooks(WebhookConfig(urls=(url,), secret=SECRET, timeout=0.3,
                                           max_attempts=1), tally)
            await hooks.start()
            began = time.monotonic()
            post_one(hooks)
            await until(lambda: tally["webhooks_failed_total"] == 1)
            took = time.monotonic() - began
            await hooks.stop(0)
        return tally, took
    tally, took = asyncio.run(scenario())
    assert tally == {"webhooks_failed_total": 1} and took < 2


def test_a_garbled_answer_fails_the_attempt_and_the_retry_gets_through() -> None:
    answers = [b"HELLO THERE\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"]

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answers.pop(0) if len(answers) > 1 else answers[0])
        await writer.drain()
        writer.close()

    async def scenario() -> Tally:
        tally = Tally()
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        hooks = Webhooks(WebhookConfig(urls=(f"http://127.0.0.1:{port}/hooks",),
                                       secret=SECRET, backoff=0.01), tally)
        await hooks.start()
        post_one(hooks)
        await until(lambda: tally["webhooks_delivered_total"] == 1)
        await hooks.stop(0)
        server.close()
        await server.wait_closed()
        return tally
    assert asyncio.run(scenario()) == {"webhooks_retries_total": 1,
                                       "webhooks_delivered_total": 1}
