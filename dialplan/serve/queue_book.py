"""Queue bookkeeping, wherever it lives: who waits in which queue in what order, which
agents are taken, and the statistics. One QueueBook per service: inside the process for
a lone service, in the pool's supervisor for many engine processes (queue_server.py),
so a caller waiting in one process and an agent freed in another meet.

The rules: only the caller first in line may claim agents; a claimed agent is taken
until released (when the caller's bridge to them ends, or their leg did not answer).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class QueueState:
    waiting: list[str] = field(default_factory=list)  # caller ids, in arrival order
    next_agent: int = 0  # roundrobin: where the next round starts
    answered: int = 0
    abandoned: int = 0
    total_wait: float = 0.0


class QueueBook:
    """Thread-safe: the queue server calls it from several connection threads."""

    def __init__(self) -> None:
        self.queues: dict[str, QueueState] = {}
        self.taken: set[str] = set()
        self._lock = threading.Lock()

    def join(self, queue: str, caller: str, limit: int) -> int:
        """The caller's position in line, or 0 when `limit` callers already wait."""
        with self._lock:
            waiting = self.queues.setdefault(queue, QueueState()).waiting
            if caller not in waiting:
                if len(waiting) >= limit:
                    return 0
                waiting.append(caller)
            return waiting.index(caller) + 1

    def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        """outcome: answered (an agent took the call), abandoned (max wait) or gone."""
        with self._lock:
            state = self.queues.setdefault(queue, QueueState())
            if caller in state.waiting:
                state.waiting.remove(caller)
            if outcome == "answered":
                state.answered += 1
                state.total_wait += waited
            elif outcome == "abandoned":
                state.abandoned += 1

    def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool
              ) -> list[str]:
        """Free agents for `caller`, marked taken, if `caller` is first in line."""
        with self._lock:
            state = self.queues.setdefault(queue, QueueState())
            if not state.waiting or state.waiting[0] != caller:
                return []
            free = [agent for agent in agents if agent not in self.taken]
            if roundrobin and free:
                free = [free[state.next_agent % len(free)]]
                state.next_agent += 1
            self.taken.update(free)
            return free

    def release(self, agents: list[str]) -> None:
        with self._lock:
            self.taken.difference_update(agents)

    def snapshot(self) -> dict[str, dict[str, object]]:
        with self._lock:
            return {name: {"waiting": len(q.waiting), "callers": list(q.waiting),
                           "answered": q.answered, "abandoned": q.abandoned,
                           "mean_wait": q.total_wait / q.answered if q.answered else 0.0}
                    for name, q in self.queues.items()}


class LocalQueueStore:
    """The book in this process, behind the same async interface as the remote one."""

    def __init__(self, book: QueueBook | None = None) -> None:
        self.book = book or QueueBook()

    async def call(self, method: str, *args: object) -> object:
        return getattr(self.book, method)(*args)
