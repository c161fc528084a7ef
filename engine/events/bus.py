"""The event bus: publish once, every matching subscriber gets a copy.

Why queues per subscriber: a slow consumer must not block the path signals take
out of the SIP stack, so ``publish`` only appends to unbounded per-subscriber queues.
A subscription is bound to all sessions or one, and is an async iterator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from engine.events.types import EngineEvent

E = TypeVar("E", bound=EngineEvent)


class Subscription:
    """Events for one session (or all of them), in publish order."""

    def __init__(self, bus: EventBus, session_id: str | None) -> None:
        self._bus = bus
        self.session_id = session_id
        self._queue: asyncio.Queue[EngineEvent] = asyncio.Queue()

    def matches(self, event: EngineEvent) -> bool:
        return self.session_id is None or self.session_id == event.session_id

    def put(self, event: EngineEvent) -> None:
        self._queue.put_nowait(event)

    async def next(self, timeout: float | None = None) -> EngineEvent:
        return await asyncio.wait_for(self._queue.get(), timeout)

    async def wait_for(
        self,
        kind: type[E],
        predicate: Callable[[E], bool] = lambda _e: True,
        timeout: float | None = None,
    ) -> E:
        """Skip events until one of ``kind`` satisfies ``predicate``."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self._queue.get()
                if isinstance(event, kind) and predicate(event):
                    return event

    def pending(self) -> list[EngineEvent]:
        """Events received but not consumed yet (drains them)."""
        items: list[EngineEvent] = []
        while not self._queue.empty():
            items.append(self._queue.get_nowait())
        return items

    def close(self) -> None:
        self._bus.unsubscribe(self)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> EngineEvent:
        return await self.next()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    """Fan-out of engine events to subscriptions."""

    def __init__(self) -> None:
        self._subs: list[Subscription] = []

    def subscribe(self, session_id: str | None = None) -> Subscription:
        sub = Subscription(self, session_id)
        self._subs.append(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        if sub in self._subs:
            self._subs.remove(sub)

    def publish(self, event: EngineEvent) -> None:
        for sub in list(self._subs):
            if sub.matches(event):
                sub.put(event)

    @property
    def subscriber_count(self) -> int:
        return len(self._subs)
