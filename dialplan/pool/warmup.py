"""The supervisor's last step before it forks: run the asyncio code every worker runs
first, then freeze what it holds.

Why: a forked worker shares the supervisor's memory until it writes to a page. CPython
3.11 rewrites a function's bytecode in place the first times it runs (its warm-up
counter, then the quickened copy), so code first run in a worker copies the pages it
lies on into that worker, each worker its own copy. Run here a few times, that code is
already quickened when the workers inherit it: creating a worker's event loop then
copied about 0.4 MiB less (bench/idle_memory.py has the figures for a whole worker).

Nothing survives the exercise: every loop made here is closed, no thread is started,
no signal handler is installed, no file or socket is left open.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc

ROUNDS = 10  # more than CPython 3.11's warm-up count (8 calls) for every function here


async def _exercise() -> None:
    """What a worker's loop does from its first second: tasks, queues, events, timers
    and timeouts, callbacks from another thread's side, a cancelled task."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[int] = asyncio.Queue()
    ready = asyncio.Event()

    async def consume() -> int:
        await ready.wait()
        return await queue.get()

    consumer = asyncio.create_task(consume())
    loop.call_soon_threadsafe(ready.set)
    loop.call_later(0, queue.put_nowait, 1)
    await asyncio.wait_for(consumer, 1.0)
    sleeper = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    sleeper.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sleeper
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(0):
            await asyncio.sleep(1)


def warm_asyncio(rounds: int = ROUNDS) -> None:
    """Make, run and close `rounds` event loops (a few milliseconds in all)."""
    for _ in range(rounds):
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(_exercise())
        finally:
            loop.close()  # never made the current loop: the policy is left as it was


def freeze_for_fork() -> None:
    """Warm asyncio up, then move every object the supervisor holds out of the
    collector's reach (gc.freeze): a worker's collections never write to them, so the
    pages they lie on stay shared with every worker."""
    warm_asyncio()
    gc.collect()
    gc.freeze()
