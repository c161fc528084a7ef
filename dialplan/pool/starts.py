"""Workers being started: forks put off by a backoff, and successors not yet ready.

A worker that keeps dying at once is forked again only after a wait that doubles with
each quick death (up to MAX_BACKOFF); the wait is a due time the supervisor's loop
wakes for, not a sleep, so reaping, signals and the other workers go on meanwhile. A
fresh worker writes one byte to its readiness pipe once it takes calls (EOF: it died
first); the supervisor's loop selects on those pipes and hands each outcome to
`on_ready`. A successor of a retired worker that is not ready within READY_WITHIN
counts as not ready (retirements stop); any other successor is awaited without limit.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from .workers import Worker

MAX_BACKOFF = 10.0  # seconds before the next try of a worker that keeps dying
READY_WITHIN = 60.0


@dataclass(frozen=True)
class Start:
    worker: Worker
    reason: str | None  # why its predecessor retired; None: it died
    deadline: float | None = None  # when a successor counts as not ready


class Starts:
    def __init__(self, fork: Callable[[Worker], int],
                 on_ready: Callable[[Start, bool], None]) -> None:
        self.fork, self.on_ready = fork, on_ready
        self.delayed: list[tuple[float, Start]] = []  # (due, start)
        self.awaiting: dict[int, Start] = {}  # readiness pipe -> start

    def begin(self, worker: Worker, reason: str | None) -> None:
        """Fork `worker` into its slot, at once or after its backoff."""
        if worker.failures:
            worker.pid = 0  # nothing runs in the slot until then: no signal, no hung check
            due = time.monotonic() + min(MAX_BACKOFF, 0.25 * 2 ** worker.failures)
            self.delayed.append((due, Start(worker, reason)))
        else:
            self._fork(Start(worker, reason))

    def fds(self) -> list[int]:
        return list(self.awaiting)

    def timeout(self, longest: float) -> float:
        """How long the loop may wait before something here is due."""
        dues = [due for due, _ in self.delayed]
        dues += [s.deadline for s in self.awaiting.values() if s.deadline is not None]
        return max(0.0, min([longest, *(due - time.monotonic() for due in dues)]))

    def step(self, readable: set[int]) -> None:
        """Fork what is due, and settle every pipe that spoke and every deadline passed."""
        now = time.monotonic()
        due = [start for when, start in self.delayed if when <= now]
        self.delayed = [(when, start) for when, start in self.delayed if when > now]
        for start in due:
            self._fork(start)
        for fd, start in list(self.awaiting.items()):
            if fd in readable:
                self._settle(fd, os.read(fd, 1) != b"")
            elif start.deadline is not None and start.deadline <= now:
                self._settle(fd, False)

    def close(self) -> None:
        for fd in self.awaiting:
            os.close(fd)
        self.awaiting.clear()
        self.delayed.clear()

    def _fork(self, start: Start) -> None:
        deadline = None if start.reason is None else time.monotonic() + READY_WITHIN
        self.awaiting[self.fork(start.worker)] = Start(start.worker, start.reason, deadline)

    def _settle(self, fd: int, ready: bool) -> None:
        start = self.awaiting.pop(fd)
        os.close(fd)
        self.on_ready(start, ready)
