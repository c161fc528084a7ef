"""What a worker's exit tells the supervisor: every child reaped, and for a worker, how
it ended (retired, recycled by itself, or died with its calls) as logs and counts."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator

from dialplan.runtime.run import EXIT_RECYCLE

from .workers import LoadBoard, Worker

log = logging.getLogger("dialplan.pool")
QUICK_DEATH = 10.0  # seconds: a worker dying sooner than this is failing, not worn out


def reaped() -> Iterator[tuple[int, int]]:
    """(pid, exit code) of every child that has exited, without waiting."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, os.waitstatus_to_exitcode(status)


def count_exit(worker: Worker, code: int, retired: str | None, board: LoadBoard) -> int:
    """Log and count how `worker` ended (`retired`: why, if it was retired); returns the
    calls lost with it. A quick death (not a recycle) adds to its failures in a row."""
    lost = 0
    if retired is not None:
        worker.recycled += 1
        log.info("worker %d retired (%s)", worker.slot, retired)
    elif code == EXIT_RECYCLE:  # it left by itself (SIGUSR1 from someone else)
        worker.recycled += 1
        log.info("worker %d recycled", worker.slot)
    else:
        lost = board.read(worker.slot)
        worker.restarts += 1
        log.error("worker %d (pid %d) died with %d, %d call leg(s) lost; restarting",
                  worker.slot, worker.pid, code, lost)
    quick = time.monotonic() - worker.started < QUICK_DEATH
    worker.failures = worker.failures + 1 if quick and code != EXIT_RECYCLE else 0
    return lost
