"""The pool's admin endpoint: one place that covers every worker.

GET `/workers` lists slots, pids, live calls and restarts; `/calls` merges every
worker's live calls; `/queues` is the pool's one queue book (503 if its store does not
answer); `/plans` each worker's plan versions; `/metrics` every worker's series added
up, plus the supervisor's own (pool_metrics.py); `/trace?...` (operator) asks each
worker for a call's trace. POST `/restart` starts a rolling restart (as SIGUSR2 does),
POST `/reload` a checked reload (as SIGHUP does); both need the operator token.
`/healthz` (no token) is pool_health(). It runs in a thread of the supervisor (which
has no event loop, admin_thread.py) and asks the workers on their loopback admin ports
with the operator token. Tokens, scopes and limits: admin_http.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import generate_latest

from dialplan.directory import Directory
from dialplan.runtime.admin_http import admin_app, json_error
from dialplan.runtime.admin_thread import AdminThread
from dialplan.runtime.admin_tokens import AdminTokens, Scope
from dialplan.runtime.admin_users import UsersAdmin
from dialplan.runtime.metrics import CONTENT_TYPE
from dialplan.trunks.status import TrunkStatus

from .metrics import pool_registry
from .view import PoolView

ASK_TIMEOUT = 2.0  # seconds a worker has to answer (a restarting one is left out)


def pool_health(pool: PoolView) -> dict[str, Any]:
    """What `/healthz` tells anyone, token or not: up or down, and counts; nothing of
    calls, callers or plans. The one place the pool's health is put together."""
    beating = sum(1 for w in pool.workers
                  if w.pid and pool.board.silence(w.slot) < pool.config.hung_after)
    proxy = pool.proxy_health()
    proxy_up = not proxy["managed"] or bool(proxy["up"])
    return {"ok": beating > 0 and proxy_up and not pool.stopping, "stopping": pool.stopping,
            "workers": len(pool.workers), "workers_up": beating, "proxy_up": proxy_up}


class PoolAdmin:
    """The pool's pages; asks its workers through one client session."""

    def __init__(self, pool: PoolView, tokens: AdminTokens) -> None:
        self.pool, self.tokens = pool, tokens
        self.registry = pool_registry(pool)
        self.client: aiohttp.ClientSession | None = None

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/workers", self.workers), web.get("/calls", self.calls),
                web.get("/plans", self.plans), web.get("/queues", self.queues),
                web.get("/metrics", self.metrics), web.get("/healthz", self.health),
                web.get("/trace", self.trace), web.get("/proxy", self.proxy),
                web.post("/restart", self.restart),
                web.post("/reload", self.reload)]

    async def session(self, app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=ASK_TIMEOUT)) as self.client:
            yield

    async def _ask(self, port: int, path: str) -> tuple[int, Any] | None:
        """(status, JSON) of a worker's page; None if it does not answer."""
        assert self.client is not None
        headers = {"Authorization": f"Bearer {self.tokens.token(Scope.OPERATOR)}"}
        try:
            async with self.client.get(f"http://127.0.0.1:{port}{path}",
                                       headers=headers) as reply:
                return reply.status, await reply.json()
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError):
            return None  # a worker that is restarting: left out of this answer

    async def _ask_all(self, path: str) -> list[tuple[int, tuple[int, Any] | None]]:
        slots = [(w.slot, w.config.admin_port) for w in self.pool.workers]
        answers = await asyncio.gather(*(self._ask(port, path) for _, port in slots))
        return [(slot, answer) for (slot, _), answer in zip(slots, answers, strict=True)]

    async def workers(self, request: web.Request) -> web.Response:
        return web.json_response([w.describe(self.pool.board) for w in self.pool.workers])

    async def calls(self, request: web.Request) -> web.Response:
        return web.json_response([dict(call, worker=slot)
                                  for slot, answer in await self._ask_all("/calls")
                                  if answer and answer[0] == 200 for call in answer[1]])

    async def plans(self, request: web.Request) -> web.Response:
        return web.json_response({str(slot): answer[1] for slot, answer
                                  in await self._ask_all("/plans") if answer})

    async def queues(self, request: web.Request) -> web.Response:
        """The book is shared: any worker that answers shows all of it."""
        answers = [answer for _, answer in await self._ask_all("/queues") if answer]
        for status, body in sorted(answers, key=lambda a: a[0] != 200):
            return web.json_response(body, status=status)
        return json_error(503, "no worker answered", {"Retry-After": "5"})

    async def trace(self, request: web.Request) -> web.Response:
        """A call's trace lives in the worker that ran it: ask each."""
        for _, answer in await self._ask_all(request.path_qs):
            if answer and answer[0] == 200:
                return web.json_response(answer[1])
        return json_error(404, "no worker has a trace of that call")

    async def metrics(self, request: web.Request) -> web.Response:
        # a few small files read: quick enough for the admin thread's own loop
        return web.Response(body=generate_latest(self.registry),
                            headers={"Content-Type": CONTENT_TYPE})

    async def proxy(self, request: web.Request) -> web.Response:
        """Kamailio's state: up, pid, restarts, last exit, seconds down."""
        return web.json_response(self.pool.proxy_health())

    async def health(self, request: web.Request) -> web.Response:
        health = pool_health(self.pool)
        return web.json_response(health, status=200 if health["ok"] else 503)

    async def restart(self, request: web.Request) -> web.Response:
        await request.read()  # a body past MAX_BODY is refused (413) before anything
        self.pool.request_restart()
        return web.json_response({"restarting": len(self.pool.workers)}, status=202)

    async def reload(self, request: web.Request) -> web.Response:
        await request.read()
        self.pool.request_reload()
        return web.json_response({"reloading": len(self.pool.workers)}, status=202)


def serve_pool_admin(pool: PoolView, directory: Directory | None = None,
                     control: str | None = None, registrar: bool = False) -> AdminThread:
    """The pool's endpoint on admin_bind:admin_port, started (tokens made if missing),
    with `/users` when given the directory (runtime/admin_users.py; `registrar`: the
    proxy is the registrar of its extensions), and `/trunks` and
    the trunk gauges when there are trunks and the edge's `control` socket
    (trunks/status.py)."""
    config = pool.config
    tokens = AdminTokens(config.admin_tokens)
    pages = PoolAdmin(pool, tokens)
    trunks = TrunkStatus(config.trunks, control) if config.trunks and control else None
    if trunks is not None:
        pages.registry.register(trunks)

    def make() -> web.Application:
        app = admin_app(tokens)
        app.add_routes(pages.routes())
        if directory is not None:
            app.add_routes(UsersAdmin(directory, registrar).routes())
        if trunks is not None:
            app.add_routes(trunks.routes())
        app.cleanup_ctx.append(pages.session)
        return app

    thread = AdminThread(make, config.admin_bind, config.admin_port,
                         config.admin_idle_timeout)
    thread.start()
    return thread
