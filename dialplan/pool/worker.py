"""A pool worker: a forked child that runs one full service on its slot's ports."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.runtime.plans import PlanSet
from dialplan.runtime.run import run_service

log = logging.getLogger("dialplan.pool")


@dataclass(frozen=True)
class WorkerHooks:
    """How a worker talks to its supervisor (through the load board, pool_workers.py)."""
    on_load: Callable[[int], None]  # its live call legs, on every change
    on_worn: Callable[[], None]  # its engine needs a fresh process: retire it
    on_beat: Callable[[], None]  # its event loop is alive (every second)


def run_worker(folder: Path, config: ServeConfig, ready_fd: int, hooks: WorkerHooks,
               plans: PlanSet | None = None) -> int:
    """The worker's whole life; returns its exit code (never raises). It writes one byte
    to `ready_fd` once it takes calls, and keeps its supervisor posted through `hooks`.
    `plans`: the set the supervisor checked and published, compiled before the fork, so
    that every worker shares it instead of compiling (and keeping) a copy of its own."""
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD,
                   signal.SIGUSR2):
        signal.signal(number, signal.SIG_DFL)  # the supervisor's handlers are not ours
    signal.set_wakeup_fd(-1)  # nor its wakeups (wakeup.py)

    def ready() -> None:
        with contextlib.suppress(OSError):  # a restarted worker's supervisor is not waiting
            os.write(ready_fd, b"1")
        os.close(ready_fd)

    # Not asyncio.run: its teardown joins executor threads, and a worker must not hang
    # after its service has stopped; the supervisor's os._exit ends the process at once.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(
            run_service(folder, config, alone=False, on_ready=ready, on_load=hooks.on_load,
                        on_worn=hooks.on_worn, on_beat=hooks.on_beat, plans=plans))
    except Exception:
        log.exception("worker on sip port %d failed", config.sip_port)
        return 1
