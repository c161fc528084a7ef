"""The supervisor's bookkeeping for retiring workers, without SIP: the load board shared
with forked children, and the order in which workers retire (one at a time, a worn-out
engine ahead of a rolling restart). The workers here are `sleep` processes: SIGUSR1
ends them, which shows it was sent."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from dialplan.config import ServeConfig
from dialplan.pool.retire import Retirements
from dialplan.pool.workers import LoadBoard, Worker


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    sleepers = [subprocess.Popen(["sleep", "30"]) for _ in range(3)]
    yield [Worker(slot, ServeConfig(sip_port=6000 + slot), pid=p.pid)
           for slot, p in enumerate(sleepers)]
    for sleeper in sleepers:
        sleeper.kill()
        sleeper.wait()


def _signalled(worker: Worker) -> bool:
    pid, status = os.waitpid(worker.pid, os.WNOHANG)
    return pid != 0 and os.WIFSIGNALED(status)


def test_a_forked_worker_writes_its_load_and_wish_to_retire_for_the_supervisor() -> None:
    board = LoadBoard(4)
    pid = os.fork()
    if pid == 0:
        board.write(2, 3)
        board.ask_retire(2)
        os._exit(0)
    os.waitpid(pid, 0)
    assert board.read(2) == 3 and board.wants_retire(2)
    assert board.read(1) == 0 and not board.wants_retire(1)
    board.reset(2)
    assert board.read(2) == 0 and not board.wants_retire(2)


def test_a_rolling_restart_retires_one_worker_at_a_time(workers: list[Worker]) -> None:
    retirements = Retirements(LoadBoard(3))
    retirements.restart_all(workers)
    retirements.step(workers)
    retirements.step(workers)  # the first has not left yet: nobody else retires
    assert [w.retiring for w in workers] == [True, False, False]
    os.waitpid(workers[0].pid, 0)
    assert retirements.ended(workers[0]) == "rolling restart"
    retirements.step(workers)  # its successor is not ready yet: nobody else retires
    assert [w.retiring for w in workers] == [True, False, False]
    retirements.back(workers[0], ready=True)
    workers[0].retiring = False
    retirements.step(workers)
    assert [w.retiring for w in workers] == [False, True, False]
    assert _signalled(workers[1]) or workers[1].retiring


def test_a_worn_out_engine_retires_ahead_of_a_rolling_restart(workers: list[Worker]) -> None:
    board = LoadBoard(3)
    retirements = Retirements(board)
    retirements.restart_all(workers)
    board.ask_retire(2)
    retirements.step(workers)
    assert [w.retiring for w in workers] == [False, False, True]
    os.waitpid(workers[2].pid, 0)
    assert retirements.ended(workers[2]) == "worn-out engine"


def test_a_worker_that_dies_was_not_retired(workers: list[Worker]) -> None:
    retirements = Retirements(LoadBoard(3))
    assert retirements.ended(workers[0]) is None


def test_a_successor_that_never_gets_ready_stops_the_rolling_restart(
        workers: list[Worker]) -> None:
    retirements = Retirements(LoadBoard(3))
    retirements.restart_all(workers)
    retirements.step(workers)
    os.waitpid(workers[0].pid, 0)
    retirements.ended(workers[0])
    retirements.back(workers[0], ready=False)
    workers[0].retiring = False
    retirements.step(workers)
    assert not any(w.retiring for w in workers)
