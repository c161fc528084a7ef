"""A service's admin endpoint: live calls, loaded plans, queues, metrics, traces.

GET `/calls`, `/plans`, `/queues` answer JSON, `/metrics` Prometheus' text format
(read token); GET `/trace?sip_call_id=...` (or `?tag=`) what one call did (trace.py;
operator token: it holds the caller's digits); POST `/reload` reloads the plans as
SIGHUP does (operator token); GET `/healthz` (no token) is 200 while the service takes
calls and 503 while it drains; `/users` the directory of extensions (admin_users.py).
Tokens, scopes and limits: admin_http.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json

from aiohttp import web

from dialplan.directory import Directory
from dialplan.queues.store import STORE_ERRORS

from .admin_http import AdminServer, admin_app, json_error
from .admin_tokens import AdminTokens
from .admin_users import UsersAdmin
from .metrics import CONTENT_TYPE
from .service import DialplanService
from .trace import TraceBook

QUEUES_TIMEOUT = 5.0  # seconds a queue store may take to show the queues
SAMPLE_EVERY = 1.0  # seconds between gauge samples (what a pool's supervisor adds up)


class ServiceAdmin:
    """The pages of one service process; `/trace` reads the service's TraceBook."""

    def __init__(self, service: DialplanService, traces: TraceBook) -> None:
        self.service, self.traces = service, traces

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/calls", self.calls), web.get("/plans", self.plans),
                web.get("/queues", self.queues), web.get("/metrics", self.metrics),
                web.get("/healthz", self.health), web.get("/trace", self.trace),
                web.post("/reload", self.reload)]

    async def calls(self, request: web.Request) -> web.Response:
        return web.json_response(self.service.calls.rows())

    async def plans(self, request: web.Request) -> web.Response:
        return web.json_response(self.service.plans.current.describe())

    async def queues(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(QUEUES_TIMEOUT):
                snapshot = await self.service.queues.snapshot()
        except STORE_ERRORS as error:  # Redis away: say so, do not hang up on the asker
            return json_error(503, f"the queue store does not answer: {error}",
                              {"Retry-After": "5"})
        return web.json_response(snapshot)

    def sample(self) -> None:
        """Gauges read from the service (a worker's are added up by its supervisor)."""
        context = self.service.context
        context.metrics.set("calls_active", len(self.service.calls))
        context.metrics.set("prompt_syntheses", context.cache.synthesizer.renders)
        context.metrics.set("prompt_cache_hits", context.cache.hits)

    async def metrics(self, request: web.Request) -> web.Response:
        self.sample()
        return web.Response(body=self.service.context.metrics.text(),
                            headers={"Content-Type": CONTENT_TYPE})

    async def health(self, request: web.Request) -> web.Response:
        draining = self.service.draining
        return web.json_response({"ok": not draining, "draining": draining},
                                 status=503 if draining else 200)

    async def trace(self, request: web.Request) -> web.Response:
        """`?sip_call_id=...`, or `?tag=...` (the caller's `x-dialplan-test` tag)."""
        asked = request.query
        found = self.traces.get(asked.get("sip_call_id", ""), asked.get("tag", ""))
        if found is None:
            return json_error(404, f"no trace of the call {dict(asked)}")
        return web.json_response(found.as_json(), dumps=functools.partial(json.dumps, default=str))

    async def reload(self, request: web.Request) -> web.Response:
        await request.read()  # a body past MAX_BODY is refused (413) before anything
        if await self.service.reload("admin endpoint"):
            return web.json_response({"reloaded": True,
                                      "plans": self.service.plans.current.describe()})
        return json_error(409, "the plans have errors (see the log); nothing changed")

    async def sampling(self) -> None:
        """Keep the gauges fresh between scrapes, for a pool supervisor's sum (whether or
        not anybody asked this endpoint yet)."""
        while True:
            self.sample()
            await asyncio.sleep(SAMPLE_EVERY)


class RunningAdmin:
    """The endpoint and its gauge sampler, stopped together."""

    def __init__(self, server: AdminServer, sampler: asyncio.Task[None]) -> None:
        self.server, self.sampler = server, sampler

    async def stop(self) -> None:
        self.sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.sampler
        await self.server.stop()


async def serve_admin(service: DialplanService, traces: TraceBook, tokens: AdminTokens,
                      host: str, port: int, directory: Directory | None = None,
                      lazy: bool = False) -> RunningAdmin:
    """The endpoint, started (with `/users` when given the directory: admin_users.py);
    `lazy`: its application set up on the first connection (a pool's worker)."""
    config = service.config
    pages = ServiceAdmin(service, traces)

    def make() -> web.Application:
        app = admin_app(tokens)
        app.add_routes(pages.routes())
        if directory is not None:
            app.add_routes(UsersAdmin(directory, registrar=False).routes())  # no Kamailio
        return app

    server = AdminServer(make, host, port, config.admin_idle_timeout, lazy)
    sampler = asyncio.create_task(pages.sampling())
    try:
        await server.start()
    except BaseException:
        sampler.cancel()
        raise
    return RunningAdmin(server, sampler)
