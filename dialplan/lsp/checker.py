"""Checking open documents as they change, debounced.

Theory of operation: every edit stamps its document with the time. An edit made while
no check of its document is running is checked at once, however soon it follows the
last one (the keystroke a user waits on is never delayed: a check that finishes before
the next keystroke leaves nothing to coalesce). Edits made during a check start no
check of their own: when the running check ends, its result is stale, so its task
waits until the document has been quiet for `delay` seconds and checks the latest text.
A check snapshots every open text, runs in a worker thread (so requests are still
answered meanwhile) and publishes only when the text did not change meanwhile. No task
is ever cancelled mid-check, so fast typing never piles up checks: at most one runs per
document.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..compiler.reuse import LoweredFlows
from ..diagnostics import Diagnostic
from .analysis import Analysis, analyse, including_plans
from .chunks import ParseCache
from .positions import same_file

Publish = Callable[[str, Analysis], None]
Snapshot = Callable[[], Mapping[str, str]]  # absolute path -> text of each open document

log = logging.getLogger(__name__)


class Checker:
    """The checks of the open documents and their latest results."""

    def __init__(self, publish: Publish, snapshot: Snapshot, delay: float) -> None:
        self._publish, self._snapshot, self._delay = publish, snapshot, delay
        self._stamps: dict[str, float] = {}
        self._versions: dict[str, int] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._cache = ParseCache()
        self._lowered: dict[str, LoweredFlows] = {}  # one per document (checks of two overlap)
        self.analyses: dict[str, Analysis] = {}
        self.parsed: dict[str, Analysis] = {}  # the last check in which the file parsed

    def changed(self, path: str) -> None:
        """Schedule a check of `path` and of every open document that reads it."""
        for other in [path, *self._readers(path)]:
            self._touch(other)

    def closed(self, path: str) -> None:
        self._lowered.pop(path, None)
        self.analyses.pop(path, None)
        self.parsed.pop(path, None)
        self._stamps.pop(path, None)

    def view(self, path: str) -> Analysis | None:
        """The last check of `path` that parsed, with the files of every other open
        document that reads it: what navigation across includes looks at."""
        own = self.parsed.get(path)
        if own is None:
            return None
        modules, texts = dict(own.modules), dict(own.texts)
        for reader in self._readers(path):
            other = self.parsed.get(reader)
            if other is not None:
                modules.update(other.modules)
                texts.update(other.texts)
        return replace(own, modules=modules, texts=texts)

    def wider_view(self, path: str, folders: list[str]) -> Analysis | None:
        """`view`, plus the plans on disk under `folders` that include `path`."""
        own = self.view(path)
        if own is None or not folders:
            return own
        plans = including_plans(path, folders, self._snapshot(), self._cache)
        return replace(own, modules={**plans.modules, **own.modules},
                       texts={**plans.texts, **own.texts})

    def diagnostics(self, path: str) -> list[Diagnostic]:
        """The diagnostics located in `path` by its own check and by the checks of the
        open documents that include it (an include cycle is reported in the includer)."""
        found: set[Diagnostic] = set()
        for reader in [path, *self._readers(path)]:
            analysis = self.analyses.get(reader)
            if analysis is not None:
                found.update(analysis.diagnostics_for(path))
        return sorted(found)

    def _readers(self, path: str) -> list[str]:
        return [p for p, a in {**self.parsed, **self.analyses}.items()
                if p != path and any(same_file(t, path) for t in a.texts)]

    def _touch(self, path: str) -> None:
        loop = asyncio.get_running_loop()
        self._stamps[path] = loop.time()
        self._versions[path] = self._versions.get(path, 0) + 1
        task = self._tasks.get(path)
        if task is None or task.done():
            self._tasks[path] = loop.create_task(self._run(path))

    async def _run(self, path: str) -> None:
        loop = asyncio.get_running_loop()
        wait = False  # the first round checks at once; later rounds follow fast typing
        while path in self._stamps:
            while wait and (left := self._stamps.get(path, 0.0) + self._delay
                            - loop.time()) > 0:
                await asyncio.sleep(left)
            wait = True
            version = self._versions[path]
            overlay = dict(self._snapshot())
            if path not in overlay:
                return  # closed while waiting
            try:
                lowered = self._lowered.setdefault(path, LoweredFlows())
                analysis = await asyncio.to_thread(analyse, path, overlay, self._cache, lowered)
            except Exception:  # a checker bug must not take the server down
                log.exception("checking %s failed", path)
                return
            if path not in self._stamps:
                return  # closed during the check: nothing to publish
            if self._versions.get(path) == version:
                self.analyses[path] = analysis
                if path in analysis.modules:
                    self.parsed[path] = analysis
                self._publish(path, analysis)
                return
