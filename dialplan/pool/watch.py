"""The pool's plan watcher: the same watchfiles watch as a lone service's
(runtime/watch.py: its filter and debounce), run in a thread because the supervisor
has no event loop. Each debounced batch of changes calls `changed` (which asks the
supervisor's loop for a checked reload); `stop` ends the thread within one step.

`start` returns once the watch is armed, so the supervisor arms it before its first
check of the folder: a save made while that check runs is seen and reloads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from dialplan.runtime.watch import DEBOUNCE_MS, STEP_MS, is_plan

log = logging.getLogger("dialplan.pool")
ARMED_WITHIN = 5.0  # seconds; the first timeout of the watch says it is armed
TICK_MS = 100  # how often the watch yields without a change (the first one arms it)


class PlanWatch:
    def __init__(self, folder: Path, changed: Callable[[list[str]], None]) -> None:
        self.folder, self.changed = folder, changed
        self._stop, self._armed = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="plan-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._armed.wait(ARMED_WITHIN):
            log.error("the plan watcher did not start in %.0f s", ARMED_WITHIN)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            for changes in watch(self.folder, watch_filter=is_plan, debounce=DEBOUNCE_MS,
                                 step=STEP_MS, stop_event=self._stop, rust_timeout=TICK_MS,
                                 yield_on_timeout=True, recursive=True):
                self._armed.set()
                if changes:
                    self.changed(sorted({Path(path).name for _, path in changes}))
        except Exception:  # the folder gone, say: SIGHUP and /reload still work
            log.exception("the plan watcher stopped; reload with SIGHUP")
