"""Theory of operation: the service around the executor.

It loads every plan in a folder, answers SIP through the engine, and hands each call
to a CallRun pinned to the plan set current when the call arrived. A reload (a file
changed, or SIGHUP) builds a whole new plan set off the event loop and swaps it in
only if it compiled without errors (plan_keeper.py). SIGTERM drains: new calls get
503, calls in progress may finish for `drain_timeout` seconds, then the rest are hung
up and the process exits 0.

How it is put together, each part given what it needs when it is made: the plans
(PlanKeeper) and metrics first; the handler, which decides about each INVITE and hands
the calls it admits over a queue; the engine's manager, built with that handler from
the builder the caller gave (a test gives one on an in-memory stack); the shared
context; the queues; and the CallBoard, which runs the admitted calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import engine
from dialplan.config import ServeConfig

from ..prompts.cache import PromptCache
from ..render import format_text
from ..webhooks.dispatch import Webhooks
from .calls import CallBoard
from .context import Clock, ServiceContext, utc_now
from .handler import Admitted, DialplanHandler
from .identity import CallerIdentity
from .metrics import Metrics
from .plan_keeper import PlanKeeper
from .plans import PlanSet
from .published_plans import load_plans
from .queues import QueueService, queue_store
from .trace import TraceBook

log = logging.getLogger("dialplan.serve")


class PlansBroken(Exception):
    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


def engine_builder(config: ServeConfig) -> engine.SessionManagerBuilder:
    """The engine as the configuration asks for it (SIP, media, SRTP, limits); the
    service adds its handler."""
    builder = (engine.SessionManagerBuilder().with_sip_port(config.sip_port)
               .with_bind_address(config.bind)
               .with_media_ports(*config.media_ports)
               .with_srtp(config.srtp))
    if config.max_calls:
        builder.with_max_sessions(config.max_calls, reject_status=503)
    if config.trusted_sources:
        builder.with_trusted_sources(*config.trusted_sources)
    return builder


def _first_plans(folder: Path, config: ServeConfig) -> PlanSet:
    plans, diagnostics, sources = load_plans(folder, config.plan_snapshot)
    if plans is None:
        raise PlansBroken(format_text(diagnostics, sources.texts))
    return plans


class DialplanService:
    """Raises PlansBroken when the folder's plans do not compile."""

    def __init__(self, folder: Path, config: ServeConfig, builder: engine.SessionManagerBuilder,
                 clock: Clock = utc_now, on_load: Callable[[int], None] | None = None,
                 traces: TraceBook | None = None, plans: PlanSet | None = None) -> None:
        """`plans`: the set a pool's supervisor compiled before forking this worker
        (shared memory, not compiled again); None: compiled here."""
        self.folder, self.config = folder, config
        metrics, cache = Metrics(), PromptCache(config.prompt_cache)
        first = plans if plans is not None else _first_plans(folder, config)
        self._warm_first = plans is None  # a pool's supervisor rendered its prompts
        self.plans = PlanKeeper(folder, config.plan_snapshot, first, cache, metrics)
        self._admitted: asyncio.Queue[Admitted] = asyncio.Queue()
        self.handler = DialplanHandler(self.plans, metrics, traces, self._admitted.put_nowait,
                                       CallerIdentity(config.identity_sources))
        if on_load is not None:  # a pool's worker: its live legs go on the load board
            builder.with_load_listener(on_load)
        manager = builder.with_handler(self.handler).build()
        self.context = ServiceContext(config, manager, cache, metrics, clock,
                                      webhooks=Webhooks(config.webhooks, metrics, config.node))
        self.queues = QueueService(queue_store(config), self.context)
        self.calls = CallBoard(self.context, self.queues)
        self.drain_deadline = 0.0
        self._taking: asyncio.Task[None] | None = None

    @property
    def draining(self) -> bool:
        return self.handler.draining

    async def start(self) -> None:
        if self._warm_first:
            await self.plans.warm()
        await self.context.webhooks.start()
        self._taking = asyncio.create_task(self.calls.take(self._admitted))
        await self.context.manager.start()
        log.info("serving %s on %s:%s, plans %s", self.folder, self.config.bind,
                 self.context.manager.sip_port, self.plans.current.versions())

    async def reload(self, reason: str) -> bool:
        """Build the plans again; swap them in only if clean. True if swapped."""
        return await self.plans.reload(reason, self.calls.versions())

    def hurry(self) -> None:
        """A drain in progress ends within drain_timeout from now (SIGTERM while retiring)."""
        self.drain_deadline = min(self.drain_deadline,
                                  time.monotonic() + self.config.drain_timeout)

    async def drain(self, timeout: float | None = None) -> None:
        """Stop taking calls, let the current ones finish for `timeout` seconds (default
        drain_timeout), hang up the rest, then stop."""
        self.handler.drain()
        log.info("draining: %d call(s) in progress", len(self.calls))
        self.drain_deadline = time.monotonic() + (timeout or self.config.drain_timeout)
        await self.calls.finish(lambda: self.drain_deadline)
        await self.context.webhooks.stop(self.config.webhooks.timeout)  # the last events
        await self.context.manager.stop()
        await self.context.fetcher.close()
        if self._taking is not None:
            self._taking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._taking
        log.info("stopped")
