"""Queue bookkeeping, wherever it lives: who waits in which queue in what order, which
agents are taken (and by whom), and the statistics. One QueueBook per service: inside
the process for a lone service, in the pool's supervisor for many engine processes
(socket_server.py), so a caller waiting in one process and an agent freed in another
meet. Shared by several hosts, the same book lives in Redis (redis_book.py), with the
same rules; tests/dialplan/queues/test_queue_book.py holds both to them.

The rules: only the caller first in line may claim agents; a claimed agent is taken
until released (when the caller's bridge to them ends, or their leg did not answer).
Places in line and claims are leases: each lasts `lease` seconds unless its holder
renews it (its process does, a few times per lease, while the call lives). A release or
leave lost on the way (the store away for a moment, the process gone) cannot keep an
agent taken or a dead caller first in line for longer than that: every step of the
book first drops the expired leases (callers out of line, agents free). A holder can
only release its own claims, so a late release never frees another caller's agent.
Members are named `node:pid:session` (runtime.queues.member_id), so
`purge("node:pid:")` can clear what a process that died left behind: its callers in
line and the agents they held. Purged callers are not counted as abandoned: they did
not hang up, their process lost them (the pool counts lost calls).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

# leave(..., outcome): the statistic each outcome counts in, as a telephony product's
# reports do: answered; timed out (max wait reached); abandoned (the caller hung up).
# `failed` (the store failed the caller mid-wait) only takes the caller out of line.
OUTCOME_COUNTERS: dict[str, str | None] = {
    "answered": "answered", "timed_out": "timed_out", "gone": "abandoned", "failed": None}
LEASE = 30.0  # seconds a place in line or a claim lasts unless renewed ([serve] queue_lease)


def counter_for(outcome: str) -> str | None:
    try:
        return OUTCOME_COUNTERS[outcome]
    except KeyError:
        raise ValueError(f"unknown queue outcome {outcome!r}") from None


def check_prefix(prefix: str) -> str:
    """An empty prefix would purge every member of every node."""
    if not prefix:
        raise ValueError("purge needs a member prefix such as 'node:pid:'")
    return prefix


@dataclass
class QueueState:
    waiting: list[str] = field(default_factory=list)  # member ids, in arrival order
    next_agent: int = 0  # roundrobin: where the next round starts
    answered: int = 0
    abandoned: int = 0
    timed_out: int = 0
    total_wait: float = 0.0  # of answered calls


def queue_summary(callers: list[str], answered: int, abandoned: int, timed_out: int,
                  total_wait: float) -> dict[str, object]:
    """One queue in a snapshot: the same shape from every backend."""
    return {"waiting": len(callers), "callers": callers, "answered": answered,
            "abandoned": abandoned, "timed_out": timed_out,
            "mean_wait": total_wait / answered if answered else 0.0}


class QueueBook:
    """Thread-safe: the queue server calls it from several connection threads."""

    def __init__(self) -> None:
        self.queues: dict[str, QueueState] = {}
        self.taken: dict[str, str] = {}  # agent -> the member who claimed them
        self.agent_leases: dict[str, float] = {}  # agent -> when its claim expires
        self.member_leases: dict[str, float] = {}  # caller in line -> when its place expires
        self._lock = threading.Lock()

    def _reconcile(self) -> float:
        """Drop what expired: callers out of line, agents free. Returns now."""
        now = time.monotonic()
        gone = {m for m, until in self.member_leases.items() if until <= now}
        for state in self.queues.values() if gone else ():
            state.waiting = [c for c in state.waiting if c not in gone]
        for member in gone:
            del self.member_leases[member]
        for agent in [a for a, until in self.agent_leases.items() if until <= now]:
            del self.agent_leases[agent]
            self.taken.pop(agent, None)
        return now

    def join(self, queue: str, caller: str, limit: int, lease: float = LEASE) -> int:
        """The caller's position in line, or 0 when `limit` callers already wait."""
        with self._lock:
            now = self._reconcile()
            waiting = self.queues.setdefault(queue, QueueState()).waiting
            if caller not in waiting:
                if len(waiting) >= limit:
                    return 0
                waiting.append(caller)
            self.member_leases[caller] = now + lease
            return waiting.index(caller) + 1

    def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        """outcome: answered (an agent took the call), timed_out (max wait reached), gone
        (the caller hung up while waiting: counted as abandoned) or failed (uncounted)."""
        counter = counter_for(outcome)
        with self._lock:
            state = self.queues.setdefault(queue, QueueState())
            if caller in state.waiting:
                state.waiting.remove(caller)
            self.member_leases.pop(caller, None)
            if counter is not None:
                setattr(state, counter, getattr(state, counter) + 1)
            if counter == "answered":
                state.total_wait += waited

    def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool,
              lease: float = LEASE) -> list[str]:
        """Free agents for `caller`, marked taken by it (for `lease` seconds), if `caller`
        is first in line."""
        with self._lock:
            now = self._reconcile()
            state = self.queues.get(queue)
            if state is None or not state.waiting or state.waiting[0] != caller:
                return []
            self.member_leases[caller] = now + lease
            free = [agent for agent in agents if agent not in self.taken]
            if roundrobin and free:
                free = [free[state.next_agent % len(free)]]
                state.next_agent += 1
            self.taken.update(dict.fromkeys(free, caller))
            self.agent_leases.update(dict.fromkeys(free, now + lease))
            return free

    def renew(self, caller: str, agents: list[str], lease: float = LEASE) -> list[str]:
        """Extend the caller's place in line (if it waits) and its claims on `agents`;
        returns the agents it still holds."""
        with self._lock:
            now = self._reconcile()
            if caller in self.member_leases:
                self.member_leases[caller] = now + lease
            held = [agent for agent in agents if self.taken.get(agent) == caller]
            self.agent_leases.update(dict.fromkeys(held, now + lease))
            return held

    def release(self, caller: str, agents: list[str]) -> None:
        """Free those of `agents` that `caller` holds."""
        with self._lock:
            for agent in agents:
                if self.taken.get(agent) == caller:
                    del self.taken[agent]
                    self.agent_leases.pop(agent, None)

    def purge(self, prefix: str) -> int:
        """Remove the waiting callers whose member id starts with `prefix` and free the
        agents they held; returns how many entries (callers and agents) went."""
        check_prefix(prefix)
        removed = 0
        with self._lock:
            for state in self.queues.values():
                kept = [c for c in state.waiting if not c.startswith(prefix)]
                removed += len(state.waiting) - len(kept)
                state.waiting = kept
            for member in [m for m in self.member_leases if m.startswith(prefix)]:
                del self.member_leases[member]
            held = [a for a, member in self.taken.items() if member.startswith(prefix)]
            for agent in held:
                del self.taken[agent]
                self.agent_leases.pop(agent, None)
        return removed + len(held)

    def snapshot(self) -> dict[str, dict[str, object]]:
        with self._lock:
            self._reconcile()
            return {name: queue_summary(list(q.waiting), q.answered, q.abandoned,
                                        q.timed_out, q.total_wait)
                    for name, q in sorted(self.queues.items())}
