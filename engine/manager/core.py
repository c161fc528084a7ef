"""SessionManager: lifecycle of one engine (one pjsua2 endpoint, one process).

Theory of operation: ``start`` brings up the adapter (its own thread) and the
media watchdog; from then on adapter signals are routed on the event loop
(see ``manager/events.py``). ``stop`` is graceful: no new calls, hang up the
live ones and wait for their endings (bounded), cancel and await the
engine's own tasks, then shut the endpoint down in the order the notes
require. After ``stop`` the process can exit 0. Nothing here is shared
between processes: run one manager per process and many processes side by
side (each its own SIP port and RTP range) behind a dispatcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from engine.api.errors import OperationFailed
from engine.api.media import MediaMixin
from engine.api.types import IncomingCall
from engine.bridge.bridge import BridgeRegistry
from engine.coordination.churn import ChurnGuard
from engine.coordination.groups import SessionGroups
from engine.coordination.priority import Priority
from engine.coordination.resources import ResourceLimits
from engine.events.bus import EventBus
from engine.handlers.base import CallHandler
from engine.manager.base import ManagerStats
from engine.manager.registry import SessionRegistry
from engine.stack import Stack, StackError

LOG = logging.getLogger("engine")


class SessionManager(MediaMixin):
    """The engine's entry point; build it with ``SessionManagerBuilder``."""

    def __init__(
        self,
        stack: Stack,
        handler: CallHandler,
        limits: ResourceLimits,
        churn: ChurnGuard,
        media_timeout: float = 0.0,
        drain_timeout: float = 3.0,
        priority_rule: Callable[[IncomingCall], Priority] | None = None,
        strict: bool = False,
    ) -> None:
        self.handler = handler
        self.limits = limits
        self.media_timeout = media_timeout
        self.drain_timeout = drain_timeout
        self.registry = SessionRegistry()
        self.bus = EventBus()
        self.groups = SessionGroups()
        self.bridges = BridgeRegistry()
        self.churn = churn
        self._stack = stack
        self._tasks: set[asyncio.Task[Any]] = set()
        self._audio_sinks: dict[str, asyncio.Queue[bytes | None]] = {}
        self._running = False
        self.priority_rule = priority_rule
        self.strict = strict  # tests: an illegal session transition raises
        self.stats = ManagerStats()
        self.needs_restart = False  # set when the bridge is exhausted (see _admit)

    @property
    def capacity(self) -> int:
        """Concurrent calls this engine accepts (never above the wheel's 4)."""
        return self.limits.capacity

    @property
    def sip_port(self) -> int:
        return self._stack.sip_port

    @property
    def running(self) -> bool:
        return self._running

    async def start(self) -> None:
        if self._running:
            return
        try:
            await self._stack.start(self._on_signal)
        except StackError as exc:  # e.g. 120098: the SIP port is in use
            raise OperationFailed("start", exc.status, exc.reason) from None
        self._running = True
        if self.media_timeout > 0:
            self._spawn(self._watch_media(), "media-watchdog")
        LOG.info("engine listening on %s:%d", self._stack.bind_address, self.sip_port)

    async def stop(self) -> None:
        """Hang up, drain, release everything; safe to call twice."""
        if not self._running:
            return
        self._running = False
        live = [s for s in self.registry]
        for session in live:
            with contextlib.suppress(Exception):
                await self.terminate(session.session_id)
        if live:
            waits = [s.ended.wait() for s in live]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*waits), self.drain_timeout)
        await self._cancel_tasks()
        await self._stack.stop()
        for sink in self._audio_sinks.values():
            sink.put_nowait(None)
        await asyncio.sleep(0)  # deliver the last signals the adapter queued
        if self.stats.faults:
            raise self.stats.faults[0]  # strict mode: a signal-handling bug fails the test

    async def _cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def live_objects(self) -> dict[str, int]:
        """Counts of live sessions and pjsua2 objects (for leak checks)."""
        counts = await self._stack.live_counts() if self._running else {}
        return {"sessions": len(self.registry), **counts}

    async def __aenter__(self) -> SessionManager:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
