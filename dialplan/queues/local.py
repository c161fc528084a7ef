"""The queue book in this process (a lone service's), behind the QueueStore interface.

The book itself is synchronous and thread-safe (the pool's socket server calls it from
several threads); here each step simply runs at once on the caller's event loop.
"""

from __future__ import annotations

from .book import LEASE, QueueBook
from .store import Snapshot


class LocalQueueStore:
    """A QueueStore over a QueueBook of this process."""

    def __init__(self, book: QueueBook | None = None) -> None:
        self.book = book or QueueBook()

    async def join(self, queue: str, caller: str, limit: int, lease: float = LEASE) -> int:
        return self.book.join(queue, caller, limit, lease)

    async def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        self.book.leave(queue, caller, outcome, waited)

    async def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool,
                    lease: float = LEASE) -> list[str]:
        return self.book.claim(queue, caller, agents, roundrobin, lease)

    async def renew(self, caller: str, agents: list[str], lease: float = LEASE) -> list[str]:
        return self.book.renew(caller, agents, lease)

    async def release(self, caller: str, agents: list[str]) -> None:
        self.book.release(caller, agents)

    async def purge(self, prefix: str) -> int:
        return self.book.purge(prefix)

    async def snapshot(self) -> Snapshot:
        return self.book.snapshot()

    async def close(self) -> None:
        """Nothing to let go of: the book lives as long as the process."""
