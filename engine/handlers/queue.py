"""QueueHandler: park incoming calls (ringing) until an agent takes them.

Why bounded: a queue that never says no just moves the overload to the
callers' patience. When it is full, the next caller is rejected at once with
``full_status`` (486 by default) so the caller or a dispatcher can go
elsewhere. A caller who hangs up while queued is removed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

from engine.handlers.base import CallHandler
from engine.types import CallDecision, IncomingCall

if TYPE_CHECKING:
    from engine.session.handle import CallSession


class QueueFull(Exception):
    """Raised by ``enqueue`` when the queue is at ``max_queue_size``."""


class QueueHandler(CallHandler):
    """A FIFO of deferred incoming calls with a size bound."""

    def __init__(self, max_queue_size: int, full_status: int = 486) -> None:
        if max_queue_size < 1:
            raise ValueError("max_queue_size must be at least 1")
        self.max_queue_size = max_queue_size
        self.full_status = full_status
        self._calls: deque[IncomingCall] = deque()
        self._changed = asyncio.Condition()

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        try:
            await self.enqueue(call)
        except QueueFull:
            return CallDecision.reject(self.full_status, "Queue Full")
        return CallDecision.defer()

    async def on_call_ended(self, call: CallSession, reason: str) -> None:
        async with self._changed:
            self._calls = deque(c for c in self._calls if c.session_id != call.id)

    async def enqueue(self, call: IncomingCall) -> None:
        async with self._changed:
            if len(self._calls) >= self.max_queue_size:
                raise QueueFull(call.session_id)
            self._calls.append(call)
            self._changed.notify_all()

    async def dequeue(self, timeout: float | None = None) -> IncomingCall:
        """The longest-waiting call (waits up to ``timeout`` for one)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: bool(self._calls))
            return self._calls.popleft()

    def __len__(self) -> int:
        return len(self._calls)

    def waiting(self) -> list[IncomingCall]:
        return list(self._calls)
