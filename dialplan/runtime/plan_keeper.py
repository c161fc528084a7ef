"""The plans new calls start on, and how a reload replaces them.

A reload (a file changed, SIGHUP, or the admin endpoint) builds a whole new plan set off
the event loop, renders its prompts, and swaps it in only if it compiled without errors;
a broken edit is logged with its diagnostics and changes nothing. Calls in progress
keep the Machine they started with: only calls that arrive later see the new set.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from ..prompts.cache import PromptCache
from ..prompts.warm import warm
from ..render import format_text
from .metrics import Metrics
from .plans import PlanSet
from .published_plans import load_plans

log = logging.getLogger("dialplan.serve")


class PlanKeeper:
    """`current` is the plan set a call arriving now is routed by."""

    def __init__(self, folder: Path, published: Path | None, first: PlanSet,
                 cache: PromptCache, metrics: Metrics) -> None:
        self.folder, self.published = folder, published
        self.current = first
        self.cache, self.metrics = cache, metrics
        self._lock = asyncio.Lock()

    async def warm(self, plans: PlanSet | None = None) -> None:
        """Render the prompts of `plans` (the current set by default) into the cache."""
        await asyncio.to_thread(self._warm, plans or self.current)

    def _warm(self, plans: PlanSet) -> None:
        started = time.perf_counter()
        totals = [warm(loaded.plan, self.cache) for loaded in plans.plans]
        rendered = sum(r for r, _ in totals)
        log.info("prompts: %d rendered, %d cached (%.2f s)", rendered,
                 sum(c for _, c in totals), time.perf_counter() - started)

    async def reload(self, reason: str, live_versions: Iterable[str]) -> bool:
        """Build the plans again; swap them in only if clean. True if swapped.
        `live_versions`: the plan versions of the calls in progress (for the log)."""
        async with self._lock:
            started = time.perf_counter()
            plans, diagnostics, sources = await asyncio.to_thread(
                load_plans, self.folder, self.published)
            if plans is None:
                self.metrics.count("reloads_failed_total")
                log.error("reload (%s) refused; still running %s:\n%s", reason,
                          self.current.versions(), format_text(diagnostics, sources.texts))
                return False
            await self.warm(plans)
            old, self.current = self.current, plans
            self.metrics.count("reloads_total")
            self.metrics.observe("reload_seconds", time.perf_counter() - started)
            current = {loaded.version for loaded in plans.plans}
            older = sum(1 for version in live_versions if version not in current)
            log.info("reload (%s): %s -> %s in %.3f s; %d call(s) stay on older versions",
                     reason, old.versions(), plans.versions(),
                     time.perf_counter() - started, older)
            return True
