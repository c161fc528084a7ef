"""Theory of operation: the service around the executor.

It loads every plan in a folder, answers SIP through the engine, and hands each call
to a CallRun pinned to the plan set current when the call arrived. A reload (a file
changed, or SIGHUP) builds a whole new plan set off the event loop and swaps it in
only if it compiled without errors; a broken edit is logged with its diagnostics and
changes nothing. SIGTERM drains: new calls get 503, calls in progress may finish for
`drain_timeout` seconds, then the rest are hung up and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import engine
from dialplan.config import ServeConfig
from dialplan.queues.socket_server import RemoteQueueStore

from ..prompts.cache import PromptCache
from ..prompts.warm import warm
from ..render import format_text
from .call import CallRun
from .context import ServiceContext, utc_now
from .handler import DialplanHandler
from .plans import PlanSet
from .published_plans import load_plans
from .queues import QueueService

if TYPE_CHECKING:
    from dialplan.queues.redis_book import RedisQueueStore

log = logging.getLogger("dialplan.serve")


class PlansBroken(Exception):
    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


def _queue_store(config: ServeConfig) -> RedisQueueStore | RemoteQueueStore | None:
    """Redis when several hosts share the queues, the pool supervisor's book when this is
    one of its workers, else (None) a book in this process."""
    if config.queue_store is not None:
        from dialplan.queues.redis_book import (
            RedisQueueStore,  # redis only for services that use it
        )

        return RedisQueueStore(config.queue_store)
    if config.queue_socket is not None:
        return RemoteQueueStore(config.queue_socket)
    return None


class DialplanService:
    def __init__(self, folder: Path, config: ServeConfig) -> None:
        self.folder, self.config = folder, config
        self.calls: dict[str, CallRun] = {}
        self.on_load: Callable[[int], None] = lambda calls: None  # told live call counts
        self.draining = False
        self.drain_deadline = 0.0
        self.plans = self._load()
        self.reload_lock = asyncio.Lock()
        queues = QueueService(_queue_store(config))
        builder = (engine.SessionManagerBuilder().with_sip_port(config.sip_port)
                   .with_bind_address(config.bind)
                   .with_media_ports(*config.media_ports)
                   .with_srtp(config.srtp)
                   .with_handler(DialplanHandler(self)))
        if config.max_calls:
            builder.with_max_sessions(config.max_calls, reject_status=503)
        if config.trusted_sources:
            builder.with_trusted_sources(*config.trusted_sources)
        manager = builder.build()
        self.context = ServiceContext(config, manager, PromptCache(config.prompt_cache), queues)
        if config.timezone != "UTC":
            zone = zoneinfo.ZoneInfo(config.timezone)
            self.context.clock = lambda: utc_now().astimezone(zone)
        queues.context = self.context

    def _load(self) -> PlanSet:
        plans, diagnostics, sources = load_plans(self.folder, self.config.plan_snapshot)
        if plans is None:
            raise PlansBroken(format_text(diagnostics, sources.texts))
        return plans

    async def start(self) -> None:
        await asyncio.to_thread(self._warm, self.plans)
        await self.context.manager.start()
        log.info("serving %s on %s:%s, plans %s", self.folder, self.config.bind,
                 self.context.manager.sip_port, self.plans.versions())

    def _warm(self, plans: PlanSet) -> None:
        started = time.perf_counter()
        totals = [warm(loaded.plan, self.context.cache) for loaded in plans.plans]
        rendered = sum(r for r, _ in totals)
        log.info("prompts: %d rendered, %d cached (%.2f s)", rendered,
                 sum(c for _, c in totals), time.perf_counter() - started)

    def start_call(self, run: CallRun) -> None:
        self.calls[run.session.id] = run
        self.on_load(len(self.calls))
        self.context.metrics.count("calls_total")
        started = time.monotonic()
        task = asyncio.create_task(run.run())

        def finished(done: asyncio.Task[None]) -> None:
            self.calls.pop(run.session.id, None)
            self._forget_legs(run.session.id)
            self.on_load(len(self.calls))
            self.context.metrics.observe("call_duration_seconds", time.monotonic() - started)
            if not done.cancelled() and done.exception() is not None:
                self.context.metrics.count("calls_failed_total")
                log.error("call %s failed", run.session.id, exc_info=done.exception())

        task.add_done_callback(finished)

    def _forget_legs(self, call_id: str) -> None:
        """Drop the legs of a finished call, and of any that ended (queue agents' too)."""
        live = {session.id for session in self.context.manager.sessions()}
        for leg, parent in list(self.context.legs.items()):
            if parent == call_id or leg not in live:
                del self.context.legs[leg]

    def call_rows(self) -> list[dict[str, object]]:
        """Every call leg this process holds, for `/calls`: the flows' calls, then the
        legs without a flow of their own (dials, REFERs a plan accepted) with the call
        they belong to. A leg holds one of the engine's few call slots: none may hide."""
        rows: list[dict[str, object]] = []
        for call_id, run in list(self.calls.items()):
            state = run.state
            rows.append({"call": call_id, "caller": run.info.caller, "called": run.info.called,
                         "version": run.version,
                         "state": f"{state.flow}.{state.state}" if state else "",
                         "phase": state.phase if state else ""})
        for session in self.context.manager.sessions():
            if session.id in self.calls:
                continue
            parent = self.context.legs.get(session.id) or session.parent_id or ""
            kind = ("dial" if session.id in self.context.legs
                    else "transfer" if session.parent_id else session.direction)
            rows.append({"call": session.id, "leg": kind, "parent": parent,
                         "remote": session.remote_uri, "state": str(session.state)})
        return rows

    async def reload(self, reason: str) -> bool:
        """Build the plans again; swap them in only if clean. True if swapped."""
        async with self.reload_lock:
            started = time.perf_counter()
            plans, diagnostics, sources = await asyncio.to_thread(
                load_plans, self.folder, self.config.plan_snapshot)
            if plans is None:
                self.context.metrics.count("reloads_failed_total")
                log.error("reload (%s) refused; still running %s:\n%s", reason,
                          self.plans.versions(), format_text(diagnostics, sources.texts))
                return False
            await asyncio.to_thread(self._warm, plans)
            old = self.plans
            self.plans = plans
            self.context.metrics.count("reloads_total")
            self.context.metrics.observe("reload_seconds", time.perf_counter() - started)
            current = {loaded.version for loaded in plans.plans}
            older = sum(1 for run in self.calls.values() if run.version not in current)
            log.info("reload (%s): %s -> %s in %.3f s; %d call(s) stay on older versions",
                     reason, old.versions(), plans.versions(),
                     time.perf_counter() - started, older)
            return True

    def hurry(self) -> None:
        """A drain in progress ends within drain_timeout from now (SIGTERM while retiring)."""
        self.drain_deadline = min(self.drain_deadline,
                                  time.monotonic() + self.config.drain_timeout)

    async def drain(self, timeout: float | None = None) -> None:
        """Stop taking calls, let the current ones finish for `timeout` seconds (default
        drain_timeout), hang up the rest, then stop."""
        self.draining = True
        log.info("draining: %d call(s) in progress", len(self.calls))
        self.drain_deadline = time.monotonic() + (timeout or self.config.drain_timeout)
        while self.calls and time.monotonic() < self.drain_deadline:
            await asyncio.sleep(0.1)
        for run in list(self.calls.values()):
            with contextlib.suppress(Exception):  # it may end on its own meanwhile
                await run.session.terminate()
        while self.calls and time.monotonic() < self.drain_deadline + 5:
            await asyncio.sleep(0.05)
        await self.context.manager.stop()
        log.info("stopped")
