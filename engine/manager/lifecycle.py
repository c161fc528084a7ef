"""The engine's life: running or not, the tasks it owns, and stack calls made safe.

Why one small object: every part of the manager spawns tasks that ``stop`` must
cancel and await (aiortc's discipline: nothing fire-and-forget), and every part
awaits stack operations whose ``StackError`` must reach users as the API's typed
errors. The parts are handed this object instead of reaching into the manager.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

from engine.errors import EngineNotRunning, MediaError, OperationFailed, SessionNotFound
from engine.stack import StackError, UnknownSession

LOG = logging.getLogger("engine")
T = TypeVar("T")


class Lifecycle:
    def __init__(self) -> None:
        self.running = False
        self._tasks: set[asyncio.Task[Any]] = set()

    def require_running(self) -> None:
        if not self.running:
            raise EngineNotRunning("SessionManager is not running")

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start a tracked task: ``cancel_all`` cancels and awaits whatever is left."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            LOG.error("engine task %s failed", task.get_name(), exc_info=task.exception())

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def stack_call(operation: str, awaitable: Awaitable[T], media: bool = False) -> T:
    """Await a stack operation, turning stack errors into the API's typed errors."""
    try:
        return await awaitable
    except UnknownSession as exc:
        raise SessionNotFound(exc.session_id) from None
    except StackError as exc:
        kind = MediaError if media else OperationFailed
        raise kind(operation, exc.status, exc.reason) from None
