"""The load board the pool's workers write and the supervisor reads."""

from __future__ import annotations

import contextlib
import os
import time

from dialplan.pool.workers import LoadBoard


def test_a_worker_beating_fast_never_looks_silent_to_the_supervisor() -> None:
    """A worker beats while the supervisor reads; a torn read once showed a heartbeat
    of 0 (silence = the machine's uptime) and a healthy worker was killed as hung."""
    board = LoadBoard(4)
    board.reset(2)
    pid = os.fork()
    if pid == 0:  # the worker: beats and counts calls as fast as it can for a second
        end = time.monotonic() + 1.0
        calls = 0
        while time.monotonic() < end:
            board.beat(2)
            calls = (calls + 1) % 4
            board.write(2, calls)
        os._exit(0)
    worst, reads = 0.0, 0
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            worst = max(worst, board.silence(2))
            assert 0 <= board.read(2) < 4
            reads += 1
    finally:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    assert reads > 1000
    assert worst < 1.0


def test_a_fresh_slot_has_no_calls_no_retirement_and_a_heartbeat_from_now() -> None:
    board = LoadBoard(3)
    board.write(1, 3)
    board.ask_retire(1)
    board.reset(1)
    assert board.read(1) == 0
    assert not board.wants_retire(1)
    assert board.silence(1) < 1.0
    board.ask_retire(1)
    board.write(1, 2)
    assert board.wants_retire(1) and board.read(1) == 2
