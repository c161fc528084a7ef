"""Retiring pool workers one at a time: for a rolling restart of every process, and for
a process whose engine is worn out (it raised its flag on the load board).

A retiring worker first leaves the proxy's rotation (when the pool controls the proxy),
so no INVITE reaches it while it drains and shuts down; then SIGUSR1 makes it drain
without hurry and exit. The supervisor forks its successor into the slot, and only once
that one is ready (and back in the rotation, under a fresh identity) does the next
worker retire.
"""

from __future__ import annotations

import logging
import signal

from dialplan.proxy.control import ProxyControl

from .workers import LoadBoard, Worker, send_signal

log = logging.getLogger("dialplan.pool")
WORN = "worn-out engine"


class Retirements:
    def __init__(self, board: LoadBoard, control: ProxyControl | None = None) -> None:
        self.board, self.control = board, control
        self.waiting: list[Worker] = []  # to retire, in order
        self.current: Worker | None = None  # draining now
        self.replacing: Worker | None = None  # gone; its successor not yet ready
        self.reasons: dict[int, str] = {}  # slot -> why it retires

    def restart_all(self, workers: list[Worker]) -> None:
        if self.waiting:
            return  # one rolling restart at a time
        log.info("rolling restart of %d processes", len(workers))
        for worker in workers:
            self._add(worker, "rolling restart")

    def step(self, workers: list[Worker]) -> None:
        """Queue the worn-out, and start the next retirement if none is under way."""
        for worker in workers:
            worn = self.board.wants_retire(worker.slot)
            if worn and worker is not self.current and self.reasons.get(worker.slot) != WORN:
                if worker in self.waiting:
                    self.waiting.remove(worker)
                self.waiting.insert(0, worker)  # its engine cannot wait for the others
                self.reasons[worker.slot] = WORN
        if self.current is not None or self.replacing is not None or not self.waiting:
            return
        worker = self.current = self.waiting.pop(0)
        worker.retiring = True
        if self.control is not None:
            self.control.disable(destination(worker))
        log.info("worker %d retiring (%s)", worker.slot, self.reasons[worker.slot])
        send_signal(worker.pid, signal.SIGUSR1)  # drain without hurry, then exit

    def ended(self, worker: Worker) -> str | None:
        """The reason `worker` retired, if it did (None: it died)."""
        if self.current is not worker:
            return None
        self.current, self.replacing = None, worker
        return self.reasons.pop(worker.slot, "retired")

    def back(self, worker: Worker, ready: bool) -> None:
        """The successor in `worker`'s slot started (ready or not): the next may retire."""
        self.replacing = None
        if not ready:
            log.error("worker %d did not come back; retirements stopped", worker.slot)
            self.waiting.clear()
            self.reasons.clear()
        elif self.control is not None:  # a fresh identity: see pool_proxy.py
            self.control.renew(destination(worker))

    def _add(self, worker: Worker, reason: str) -> None:
        if worker.slot not in self.reasons:
            self.waiting.append(worker)
            self.reasons[worker.slot] = reason


def destination(worker: Worker) -> str:
    return f"{worker.config.bind}:{worker.config.sip_port}"
