"""What the supervisor waits on instead of sleeping (no SIP here: the pool's behaviour
over SIP is in test_pool*.py): one select woken by signals, pokes and pipes
(wakeup.py), forks put off by a backoff and readiness pipes (starts.py), the exits of
its children on their pidfds (workers.py `wait_exits`), and the plan watcher it shares
with a lone service (watch.py)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dialplan.config import ServeConfig
from dialplan.pool.starts import Start, Starts
from dialplan.pool.wakeup import Wakeup
from dialplan.pool.watch import PlanWatch
from dialplan.pool.workers import Worker, wait_exits
from tests.support.harness import wait_for


class Forks:
    """Stands in for fork_worker: a readiness pipe per 'fork', its write end kept."""

    def __init__(self) -> None:
        self.writers: list[int] = []
        self.outcomes: list[tuple[int, str | None, bool]] = []

    def fork(self, worker: Worker) -> int:
        read_end, write_end = os.pipe()
        self.writers.append(write_end)
        worker.pid, worker.started = 4242, time.monotonic()
        return read_end

    def ready(self, start: Start, ready: bool) -> None:
        self.outcomes.append((start.worker.slot, start.reason, ready))


def step_until(starts: Starts, forks: Forks, count: int) -> None:
    """Run the supervisor's waiting as its loop does, until `count` outcomes."""
    deadline = time.monotonic() + 5
    while len(forks.outcomes) < count and time.monotonic() < deadline:
        readable: set[int] = set()
        if starts.fds():
            readable = set(select.select(starts.fds(), [], [], starts.timeout(0.5))[0])
        starts.step(readable)


def test_a_worker_that_keeps_dying_is_forked_again_only_after_its_backoff() -> None:
    forks = Forks()
    starts = Starts(forks.fork, forks.ready)
    worker = Worker(0, ServeConfig(), pid=99, failures=2)  # 0.25 * 2**2 = 1 s
    starts.begin(worker, None)
    assert worker.pid == 0 and not forks.writers  # nothing in the slot meanwhile
    assert 0.9 < starts.timeout(5.0) <= 1.0  # the loop wakes when it is due
    starts.step(set())
    assert not forks.writers
    wait_for(lambda: starts.timeout(5.0) == 0.0, timeout=2)
    starts.step(set())
    assert worker.pid == 4242 and len(forks.writers) == 1
    starts.close()


def test_a_successor_is_ready_when_it_says_so_and_not_when_it_dies_first() -> None:
    forks = Forks()
    starts = Starts(forks.fork, forks.ready)
    first, second = Worker(0, ServeConfig()), Worker(1, ServeConfig())
    starts.begin(first, None)
    starts.begin(second, "rolling restart")
    os.write(forks.writers[0], b"1")
    os.close(forks.writers[1])  # died before it was ready: EOF
    step_until(starts, forks, 2)
    assert sorted(forks.outcomes) == [(0, None, True), (1, "rolling restart", False)]
    assert not starts.fds()
    os.close(forks.writers[0])


def test_a_retired_workers_successor_not_ready_in_time_counts_as_not_ready() -> None:
    forks = Forks()
    starts = Starts(forks.fork, forks.ready)
    starts.begin(Worker(0, ServeConfig()), "worn-out engine")
    (fd, start), = starts.awaiting.items()
    starts.awaiting[fd] = Start(start.worker, start.reason, time.monotonic() + 0.2)
    assert starts.timeout(5.0) <= 0.2
    step_until(starts, forks, 1)
    assert forks.outcomes == [(0, "worn-out engine", False)]
    os.close(forks.writers[0])


def test_children_are_reaped_as_they_exit_and_killed_at_the_deadline() -> None:
    quick = subprocess.Popen([sys.executable, "-c", "pass"])
    stuck = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    began = time.monotonic()
    wait_exits([quick.pid, stuck.pid], time.monotonic() + 1.0)
    assert 0.9 < time.monotonic() - began < 5
    for child in (quick, stuck):  # reaped by wait_exits: no zombie left
        with pytest.raises(ChildProcessError):
            os.waitpid(child.pid, os.WNOHANG)


def test_the_plan_watcher_reports_each_saved_plan_and_ignores_other_files(
        tmp_path: Path) -> None:
    seen: list[list[str]] = []
    watch = PlanWatch(tmp_path, seen.append)
    watch.start()  # armed on return: the saves below are not missed
    try:
        (tmp_path / "notes.txt").write_text("not a plan")
        (tmp_path / "main.dialplan").write_text("flow main { s: hangup }\n")
        wait_for(lambda: seen == [["main.dialplan"]], timeout=5, explain=lambda: str(seen))
    finally:
        watch.stop()


def test_a_signal_a_poke_or_a_readable_pipe_wakes_the_supervisors_wait() -> None:
    wakeup = Wakeup()
    read_end, write_end = os.pipe()
    previous = signal.signal(signal.SIGUSR1, lambda *_: None)
    try:
        wakeup.catch_signals()
        began = time.monotonic()
        os.kill(os.getpid(), signal.SIGUSR1)
        assert wakeup.wait([read_end], 5.0) == set()
        threading.Timer(0.1, wakeup.poke).start()  # the watcher or the admin thread
        assert wakeup.wait([read_end], 5.0) == set()
        os.write(write_end, b"1")  # a worker's readiness
        assert wakeup.wait([read_end], 5.0) == {read_end}
        assert time.monotonic() - began < 2.0  # none of them waited for the timeout
        assert wakeup.wait([], 0.05) == set()  # nothing pending: the timeout
    finally:
        wakeup.close()
        signal.signal(signal.SIGUSR1, previous)
        os.close(read_end)
        os.close(write_end)
