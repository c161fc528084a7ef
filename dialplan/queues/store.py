"""The one interface every queue book offers the executor, wherever the book lives: in
this process (local.py), in a pool's supervisor over a Unix socket (socket_server.py),
or in Redis for several hosts (redis_book.py). The rules behind it are QueueBook's
(book.py); tests/dialplan/queues/test_queue_book.py holds every backend to them.

Why a Protocol: the executor names the steps it takes (`join`, `claim`, ...) and mypy
checks them, whatever the backend; none of them is picked by name at run time.
"""

from __future__ import annotations

from typing import Protocol

from .book import LEASE

Snapshot = dict[str, dict[str, object]]  # queue -> queue_summary(...)
# a store away (ConnectionError, an OSError) or refusing a call (ValueError)
STORE_ERRORS = (OSError, ValueError)


class QueueStore(Protocol):
    """The queue book's steps, asynchronous; failures raise one of STORE_ERRORS."""

    async def join(self, queue: str, caller: str, limit: int, lease: float = LEASE) -> int:
        """The caller's position in line, or 0 when `limit` callers already wait."""
        ...

    async def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        """Out of line, counted by `outcome` (answered, timed_out, gone or failed)."""
        ...

    async def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool,
                    lease: float = LEASE) -> list[str]:
        """Free agents, now taken by `caller`, if it is first in line."""
        ...

    async def renew(self, caller: str, agents: list[str], lease: float = LEASE) -> list[str]:
        """Extend the caller's place and claims; the agents it still holds."""
        ...

    async def release(self, caller: str, agents: list[str]) -> None:
        """Free those of `agents` that `caller` holds."""
        ...

    async def purge(self, prefix: str) -> int:
        """Forget the members named `prefix...` (a dead process's); how many went."""
        ...

    async def snapshot(self) -> Snapshot:
        """Per queue: counts, and the waiting callers in line order."""
        ...

    async def close(self) -> None:
        """Let go of connections, if any."""
        ...
