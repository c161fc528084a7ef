"""The supervisor's last step before forking (pool/warmup.py) leaves nothing behind a
worker could trip on: no event loop set, no thread, no open file; and it freezes what
the supervisor holds, so that workers' collections never write to it."""

from __future__ import annotations

import asyncio
import gc
import os
import threading

import pytest

from dialplan.pool.warmup import freeze_for_fork, warm_asyncio


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_warming_asyncio_leaves_no_loop_thread_or_file() -> None:
    threads, fds = threading.active_count(), open_fds()
    warm_asyncio(rounds=3)
    assert threading.active_count() == threads
    assert open_fds() == fds
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    asyncio.run(asyncio.sleep(0))  # a worker's own loop starts as before


def test_freezing_for_the_fork_freezes_what_the_process_holds() -> None:
    try:
        freeze_for_fork()
        assert gc.get_freeze_count() > 0
        assert sum(gc.get_count()) < 100  # nothing left young to collect
    finally:
        gc.unfreeze()
