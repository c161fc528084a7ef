"""The pool's worker processes as the supervisor sees them: slots, forking, readiness,
signals, and a load board the workers write their live call counts to.

The board is an anonymous shared memory page made before the first fork, two counters
per slot. A worker writes its live call count whenever a call starts or ends; the
supervisor reads it to report per-process load and, when a worker dies, how many calls
died with it (a dead process cannot be asked). A worker whose engine is worn out raises
its second counter, asking to be retired: the supervisor takes it out of the proxy's
rotation first, so no INVITE reaches it while it shuts down.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import select
import signal
import struct
import time
from dataclasses import dataclass
from pathlib import Path

from .config import ServeConfig
from .worker import run_worker

_COUNTER = struct.Struct("=I")


class LoadBoard:
    """Live calls per slot, shared by the supervisor and its forked workers."""

    def __init__(self, slots: int) -> None:
        self._page = mmap.mmap(-1, max(mmap.PAGESIZE, slots * 2 * _COUNTER.size))

    def _offset(self, slot: int, which: int) -> int:
        return (slot * 2 + which) * _COUNTER.size

    def write(self, slot: int, calls: int) -> None:
        _COUNTER.pack_into(self._page, self._offset(slot, 0), calls)

    def read(self, slot: int) -> int:
        return int(_COUNTER.unpack_from(self._page, self._offset(slot, 0))[0])

    def ask_retire(self, slot: int) -> None:
        _COUNTER.pack_into(self._page, self._offset(slot, 1), 1)

    def wants_retire(self, slot: int) -> bool:
        return bool(_COUNTER.unpack_from(self._page, self._offset(slot, 1))[0])

    def reset(self, slot: int) -> None:
        _COUNTER.pack_into(self._page, self._offset(slot, 0), 0)
        _COUNTER.pack_into(self._page, self._offset(slot, 1), 0)


@dataclass
class Worker:
    slot: int
    config: ServeConfig
    pid: int = 0
    started: float = 0.0
    restarts: int = 0
    recycled: int = 0
    failures: int = 0  # quick deaths in a row: each doubles the wait before the next try
    retiring: bool = False  # draining for a rolling restart

    def describe(self, board: LoadBoard) -> dict[str, object]:
        return {"slot": self.slot, "pid": self.pid, "sip_port": self.config.sip_port,
                "admin_port": self.config.admin_port, "calls": board.read(self.slot),
                "restarts": self.restarts, "recycled": self.recycled,
                "retiring": self.retiring}


def fork_worker(folder: Path, worker: Worker, board: LoadBoard) -> int:
    """Fork `worker` into its slot; returns the read end of its readiness pipe."""
    read_end, write_end = os.pipe()
    board.reset(worker.slot)
    pid = os.fork()
    if pid == 0:  # the worker: its own engine, never returns here
        os.close(read_end)
        slot = worker.slot
        os._exit(run_worker(folder, worker.config, write_end,
                            lambda calls: board.write(slot, calls),
                            lambda: board.ask_retire(slot)))
    os.close(write_end)
    worker.pid, worker.started, worker.retiring = pid, time.monotonic(), False
    return read_end


def await_ready(read_ends: list[int], timeout: float = 60.0) -> bool:
    """Whether every worker said it takes calls within `timeout`."""
    deadline = time.monotonic() + timeout
    pending = set(read_ends)
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select(list(pending), [], [], 0.5)
        for fd in ready:
            os.read(fd, 1)
            os.close(fd)
            pending.discard(fd)
    for fd in pending:
        os.close(fd)
    return not pending


def fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any plan file is saved, added or removed. The supervisor polls
    it twice a second: it runs no event loop, and a poll cannot miss an early edit."""
    entries = []
    for path in sorted(folder.rglob("*.dialplan")):
        with contextlib.suppress(OSError):
            status = path.stat()
            entries.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(entries)


def send_signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def wait_exit(pid: int, deadline: float) -> None:
    """Reap `pid`, killing it if it outlives `deadline`."""
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.05)
    send_signal(pid, signal.SIGKILL)
