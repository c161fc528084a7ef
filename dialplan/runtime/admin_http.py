"""What a service's and a pool's admin endpoints share (aiohttp): bearer tokens and
their scopes, JSON errors, and limits that keep the endpoint from being a way in.

Scopes: `/healthz` is public (a load balancer's probe; it says up or down and nothing
else); every other GET needs a token, the read token or the operator's; `/trace` (it
holds what callers keyed in) and every other method need the operator's. A request
without a valid token gets 401 before its path is even looked at, so the endpoint
tells nothing to whoever has no token, not even which pages exist.

Limits: request bodies of MAX_BODY bytes (413), header lines of MAX_LINE bytes,
MAX_CONNECTIONS connections at once (more are answered 503 and closed at once; the
count lags by at most one accept round of BACKLOG), and a connection that sends nothing
for `idle_timeout` seconds, before or between requests, is closed. So idle connections
cost at most MAX_CONNECTIONS + BACKLOG sockets and tasks, never threads, however many
are opened.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from .admin_tokens import AdminTokens, Scope

log = logging.getLogger("dialplan.admin")
MAX_BODY = 4096  # bytes: POSTs carry no body worth more
MAX_LINE = 4096  # bytes in the request line or one header
MAX_CONNECTIONS = 32
BACKLOG = 16  # connections accepted in one go (before the count above sees them)
PUBLIC = frozenset({"/healthz"})
OPERATOR_ONLY = frozenset({"/trace"})
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
_BUSY_BODY = json.dumps({"error": "too many admin connections", "status": 503}).encode()
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
         b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"
         % (len(_BUSY_BODY), _BUSY_BODY))

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_error(status: int, message: str, headers: dict[str, str] | None = None
               ) -> web.Response:
    return web.json_response({"error": message, "status": status}, status=status,
                             headers=headers)


def needed_scope(request: web.Request) -> Scope | None:
    """The scope a request needs; None for the public probe."""
    reads = request.method in ("GET", "HEAD")
    if reads and request.path in PUBLIC:
        return None
    return Scope.READ if reads and request.path not in OPERATOR_ONLY else Scope.OPERATOR


def _authorize(request: web.Request, tokens: AdminTokens) -> None:
    needed = needed_scope(request)
    if needed is None:
        return
    granted = tokens.scope_of(request.headers.get("Authorization", ""))
    if granted is None:
        raise web.HTTPUnauthorized(reason="a bearer token is needed (Authorization: "
                                   "Bearer ...)",
                                   headers={"WWW-Authenticate": 'Bearer realm="dialplan"'})
    if granted < needed:
        raise web.HTTPForbidden(reason=f"this needs the {needed.name.lower()} token")


def admin_app(tokens: AdminTokens) -> web.Application:
    """An application whose every answer, errors included, is JSON (or metrics text)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            _authorize(request, tokens)
            if (request.content_length or 0) > MAX_BODY:
                raise web.HTTPRequestEntityTooLarge(MAX_BODY, request.content_length or 0)
            return await handler(request)
        except web.HTTPException as error:
            kept = {k: v for k, v in error.headers.items() if k in _KEPT_HEADERS}
            return json_error(error.status, error.reason, kept)
        except Exception:
            log.exception("admin request %s %s failed", request.method, request.path)
            return json_error(500, "internal error (see the service's log)")

    return web.Application(client_max_size=MAX_BODY, middlewares=[guard])


class _Busy(asyncio.Protocol):
    """Past MAX_CONNECTIONS: a 503 and the connection closed, no task, no parser."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(_BUSY)
        transport.close()


class AdminServer:
    """`app` served on host:port in the running event loop, within the limits above.

    `lazy`: the application is set up on the first connection, not at start. Why: in a
    pool's forked worker, setting up aiohttp runs code whose objects the worker then
    writes to (reference counts), which cost each idle worker ~1.4 MiB of copied pages
    (bench/idle_memory.py); a worker nobody asks never pays it."""

    def __init__(self, app: web.Application | Callable[[], web.Application], host: str,
                 port: int, idle_timeout: float, lazy: bool = False) -> None:
        """`app`, or what makes it (called when it is set up)."""
        self.host, self.port, self.lazy = host, port, lazy
        self.app, self.idle_timeout = app, idle_timeout
        self.runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self._setup: asyncio.Task[None] | None = None

    def _protocol(self) -> asyncio.BaseProtocol:
        server = self.runner.server if self.runner is not None else None
        if server is None:
            return _Deferred(self)
        if len(server.connections) >= MAX_CONNECTIONS:
            return _Busy()
        return server()

    def set_up(self) -> asyncio.Task[None]:
        """The application's set-up, started once (at start, or by the first caller)."""
        if self._setup is None:
            app = self.app if isinstance(self.app, web.Application) else self.app()
            self.runner = web.AppRunner(app, access_log=None,
                                        keepalive_timeout=self.idle_timeout,
                                        max_line_size=MAX_LINE, max_field_size=MAX_LINE,
                                        shutdown_timeout=2.0)
            self._setup = asyncio.ensure_future(self.runner.setup())
        return self._setup

    async def start(self) -> None:
        if not self.lazy:
            await self.set_up()
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(self._protocol, self.host, self.port,
                                                  reuse_address=True, backlog=BACKLOG)
        log.info("admin endpoint on http://%s:%d/", self.host, self.port)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
        if self._setup is not None and self.runner is not None:  # else nothing to clean
            await asyncio.gather(self._setup, return_exceptions=True)
            await self.runner.cleanup()


class _Deferred(asyncio.Protocol):
    """A connection that came before the application was set up: what it sends is held
    (MAX_LINE * 4 bytes at most) until the set-up is done, then it is handed over."""

    def __init__(self, owner: AdminServer) -> None:
        self.owner = owner
        self.held = bytearray()
        self.ended = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.owner.set_up().add_done_callback(self._hand_over)

    def data_received(self, data: bytes) -> None:
        self.held += data
        if len(self.held) > MAX_LINE * 4 and self.transport is not None:
            self.transport.close()

    def eof_received(self) -> bool:
        self.ended = True
        return True  # kept open: the answer still goes out

    def _hand_over(self, setup: asyncio.Task[None]) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if setup.cancelled() or setup.exception() is not None:
            transport.close()
            return
        protocol = self.owner._protocol()
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if self.held and isinstance(protocol, asyncio.Protocol):
            protocol.data_received(bytes(self.held))
        if self.ended and isinstance(protocol, asyncio.Protocol):
            protocol.eof_received()
