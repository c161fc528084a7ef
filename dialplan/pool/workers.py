"""The pool's worker processes as the supervisor sees them: slots, forking, readiness,
signals, and a load board the workers write their live call legs to.

The board is an anonymous shared memory page made before the first fork, one record
per slot. A worker writes its live call legs (a caller, and each party it dials: a
bridged call holds two of a process's 4 slots) whenever one starts or ends; the
supervisor reads them to report per-process load and, when a worker dies, how many legs
died with it (a dead process cannot be asked). A worker whose engine is worn out raises
a flag, asking to be retired: the supervisor takes it out of the proxy's rotation
first, so no INVITE reaches it while it shuts down. And every worker's event loop
stamps a heartbeat each second: one that stops beating is hung (seen under overload),
and the supervisor kills it so its slot serves again.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import select
import selectors
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.runtime.plans import PlanSet

from .worker import WorkerHooks, run_worker

log = logging.getLogger("dialplan.pool")
# `--processes auto`, from bench/pool_load.py on 2 cores: CPU ran out near 600 calls
# with two-way audio (170 processes); each busy process holds ~14 MiB PSS.
PROCESSES_PER_CORE = 80
MIB_PER_PROCESS = 16


def auto_processes() -> int:
    """As many processes as the cores can keep busy, and the memory can hold."""
    by_cpu = PROCESSES_PER_CORE * (os.cpu_count() or 1)
    try:
        meminfo = Path("/proc/meminfo").read_text()
        available_kib = int(meminfo.split("MemAvailable:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        return by_cpu
    return max(1, min(by_cpu, available_kib // 1024 // MIB_PER_PROCESS))


_FIELDS = 3  # per slot: live call legs, wants to retire, last heartbeat (monotonic)
_CALLS, _RETIRE, _BEAT = range(_FIELDS)


class LoadBoard:
    """Live call legs per slot, shared by the supervisor and its forked workers.

    Each field is one aligned 8-byte double written with a single store, so a reader
    never sees a half-written record. (It was a `struct` record once: `pack_into` zeroes
    the record before filling it, and a supervisor reading in that window saw a
    heartbeat of 0 and killed a healthy worker as hung.)"""

    def __init__(self, slots: int) -> None:
        size = max(mmap.PAGESIZE, slots * _FIELDS * 8)
        self._page = mmap.mmap(-1, size)
        self._fields = memoryview(self._page).cast("d")

    def _get(self, slot: int, field: int) -> float:
        return float(self._fields[slot * _FIELDS + field])

    def _set(self, slot: int, field: int, value: float) -> None:
        self._fields[slot * _FIELDS + field] = value

    def write(self, slot: int, calls: int) -> None:
        self._set(slot, _CALLS, float(calls))

    def read(self, slot: int) -> int:
        return int(self._get(slot, _CALLS))

    def ask_retire(self, slot: int) -> None:
        self._set(slot, _RETIRE, 1.0)

    def wants_retire(self, slot: int) -> bool:
        return self._get(slot, _RETIRE) != 0.0

    def beat(self, slot: int) -> None:
        self._set(slot, _BEAT, time.monotonic())

    def silence(self, slot: int) -> float:
        """Seconds since the worker in `slot` last beat."""
        return time.monotonic() - self._get(slot, _BEAT)

    def reset(self, slot: int) -> None:
        """Before a fork into `slot`: no calls, no retirement, beating from now."""
        self._set(slot, _CALLS, 0.0)
        self._set(slot, _RETIRE, 0.0)
        self._set(slot, _BEAT, time.monotonic())


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


def slot_configs(config: ServeConfig, processes: int) -> list[ServeConfig]:
    """Worker i: SIP on sip_port + 1 + i, an equal slice of the media ports, admin on
    admin_port + 1 + i (if any)."""
    low, high = config.media_ports
    share = (high - low + 1) // processes
    admin = config.admin_port
    return [config.with_overrides(
        sip_port=config.sip_port + 1 + slot,
        media_ports=(low + slot * share, low + (slot + 1) * share - 1),
        admin_port=admin + 1 + slot if admin else 0) for slot in range(processes)]


def fork_worker(folder: Path, worker: Worker, board: LoadBoard, plans: PlanSet | None = None
                ) -> int:
    """Fork `worker` into its slot; returns the read end of its readiness pipe. `plans`
    (the published set, compiled here) is shared with the worker, not compiled there."""
    read_end, write_end = os.pipe()
    board.reset(worker.slot)
    pid = os.fork()
    if pid == 0:  # the worker: its own engine, never returns here
        os.close(read_end)
        slot = worker.slot
        os._exit(run_worker(folder, worker.config, write_end, WorkerHooks(
            on_load=lambda calls: board.write(slot, calls),
            on_worn=lambda: board.ask_retire(slot), on_beat=lambda: board.beat(slot)),
            plans))
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


def kill_hung(workers: list[Worker], board: LoadBoard, limit: float) -> int:
    """SIGKILL every worker silent for `limit` seconds (the reaper replaces it); returns
    how many."""
    now, killed = time.monotonic(), 0
    for worker in workers:
        silent = board.silence(worker.slot)
        if worker.pid and silent > limit and now - worker.started > limit:
            log.error("worker %d (pid %d) hung: no heartbeat for %.0f s; killing it",
                      worker.slot, worker.pid, silent)
            killed += 1
            worker.started = now  # one kill; the reaper replaces it
            send_signal(worker.pid, signal.SIGKILL)
    return killed


def send_signal(pid: int, number: int) -> None:
    if pid > 0:  # 0 is a slot waiting for its next fork (and would mean our whole group)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)


def wait_exits(pids: list[int], deadline: float) -> None:
    """Reap every one of `pids`, waiting on their pidfds until `deadline`, then killing
    what is left."""
    waiting: dict[int, int] = {}
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # gone already
            waiting[os.pidfd_open(pid)] = pid
    with selectors.DefaultSelector() as selector:
        for fd in waiting:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map() and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                selector.unregister(key.fd)
    for fd, pid in waiting.items():
        with contextlib.suppress(ProcessLookupError):  # a zombie ignores it
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(fd)
