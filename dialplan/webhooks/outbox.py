"""The deliveries owed to one URL, bounded: memory stays flat whatever the receiver does.

Three kinds of delivery count against `size`: those ready to send (in order), those
waiting for their retry time, and those being sent. Putting one into a full outbox
first drops the oldest ready delivery, else the oldest waiting retry; if every place
is taken by a send in progress, the new delivery is the one dropped. A drop is told to
`on_drop` (the service counts and logs it). Putting never waits: the call path calls it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Delivery:
    event: str  # started, answered...
    event_id: str
    body: bytes
    attempts: int = 0  # made so far


class Outbox:
    def __init__(self, size: int, on_drop: Callable[[Delivery], None]) -> None:
        self.size, self.on_drop = size, on_drop
        self.ready: deque[Delivery] = deque()
        self.waiting: dict[int, tuple[asyncio.TimerHandle, Delivery]] = {}  # oldest first
        self.sending = 0
        self._numbers = itertools.count()
        self._wakeup = asyncio.Event()

    def __len__(self) -> int:
        return len(self.ready) + len(self.waiting) + self.sending

    def put(self, delivery: Delivery) -> None:
        if self._make_room(delivery):
            self.ready.append(delivery)
            self._wakeup.set()

    def retry(self, delivery: Delivery, delay: float) -> None:
        """Ready again after `delay` seconds (it stays counted meanwhile)."""
        if self._make_room(delivery):
            number = next(self._numbers)
            handle = asyncio.get_running_loop().call_later(delay, self._due, number)
            self.waiting[number] = (handle, delivery)

    async def take(self) -> Delivery:
        """The next ready delivery, counted as sending until `sent` is called."""
        while not self.ready:
            self._wakeup.clear()
            await self._wakeup.wait()
        self.sending += 1
        return self.ready.popleft()

    def sent(self) -> None:
        """The delivery taken last by a sender is off its hands (delivered, retried or
        given up)."""
        self.sending -= 1

    def close(self) -> None:
        for handle, _ in self.waiting.values():
            handle.cancel()
        self.waiting.clear()

    def _due(self, number: int) -> None:
        _, delivery = self.waiting.pop(number)
        self.ready.append(delivery)
        self._wakeup.set()

    def _make_room(self, incoming: Delivery) -> bool:
        """Whether `incoming` may go in, after dropping what must go for it."""
        while len(self) >= self.size:
            if self.ready:
                self.on_drop(self.ready.popleft())
            elif self.waiting:
                handle, dropped = self.waiting.pop(next(iter(self.waiting)))
                handle.cancel()
                self.on_drop(dropped)
            else:
                self.on_drop(incoming)
                return False
        return True
