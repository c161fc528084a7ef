"""A pool worker beats only while its engine's own thread answers: a worker whose event
loop runs but whose pjsua2 thread is stuck (a deadlock inside pjmedia) holds calls that
never end, so it must go silent and be replaced by the supervisor."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialplan.runtime import run
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory
PLAN = """route 100 -> main
flow main {
  start:
    answer
    hangup
}
"""


class StuckableStack(MemoryStack):
    """The in-memory stack whose thread can be made to stop answering."""

    def __init__(self) -> None:
        super().__init__()
        self.stuck = asyncio.Event()
        self.unstuck = asyncio.Event()

    async def live_counts(self) -> dict[str, int]:
        if self.stuck.is_set():
            await self.unstuck.wait()
        return await super().live_counts()


def test_the_worker_beats_only_while_its_engine_thread_answers(tmp_path: Path) -> None:
    async def scenario() -> None:
        stack = StuckableStack()
        beats: list[float] = []
        async with serving(tmp_path, PLAN, stack=stack) as served:
            loop = asyncio.get_running_loop()
            ticker = asyncio.create_task(run.every_second(
                served.service, asyncio.Event(), [], None, lambda: beats.append(loop.time()),
                probe=0.2))
            try:
                await served.until(lambda: len(beats) >= 2, timeout=5)
                stack.stuck.set()
                stuck_at = loop.time()
                await asyncio.sleep(2.5)  # the behaviour: silence while the engine is stuck
                assert not [beat for beat in beats if beat > stuck_at + 0.1]
                stack.unstuck.set()
                stack.stuck.clear()
                await served.until(lambda: beats[-1] > stuck_at + 2.5, timeout=5)
            finally:
                ticker.cancel()

    asyncio.run(scenario())
