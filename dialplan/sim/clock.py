"""Virtual time for a simulated call: an instant that only moves when told to, and the
things due at later instants (the machine's timers, prompts that take time to play,
a dial that rings until its timeout).

Nothing here sleeps. `wait` in a scenario or the simulator moves the clock forward and
hands back what fell due, earliest first, so a 6 s wait over a 5 s menu timeout fires
that timer at 5 s, and whatever the machine starts in reaction can still fall due
within the same wait.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Hashable
from dataclasses import dataclass, field

from ..clock import BadInstant, parse_instant

__all__ = ["BadInstant", "VirtualClock", "parse_instant"]


@dataclass(order=True)
class _Entry:
    due: float
    seq: int
    key: Hashable = field(compare=False)


class VirtualClock:
    """Seconds since the call began, the wall-clock instant they make, and due items."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the virtual clock needs a time-zone-aware start")
        self.start = start
        self.elapsed = 0.0
        self._heap: list[_Entry] = []
        self._live: dict[Hashable, _Entry] = {}
        self._seq = 0

    @property
    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.elapsed)

    def schedule(self, key: Hashable, seconds: float) -> None:
        """`key` falls due `seconds` from now (replacing an earlier schedule of it)."""
        self.cancel(key)
        self._seq += 1
        entry = _Entry(self.elapsed + seconds, self._seq, key)
        self._live[key] = entry
        heapq.heappush(self._heap, entry)

    def cancel(self, key: Hashable) -> None:
        self._live.pop(key, None)  # its heap entry is skipped when it surfaces

    def pending(self) -> list[tuple[Hashable, float]]:
        """Live keys and the seconds until each falls due, soonest first."""
        entries = sorted(self._live.values())
        return [(entry.key, entry.due - self.elapsed) for entry in entries]

    def next_due(self, until: float) -> Hashable | None:
        """Move to the earliest live item due by `until` seconds and hand it over (it is
        no longer live), or None when nothing more is due by then."""
        while self._heap:
            entry = self._heap[0]
            if self._live.get(entry.key) is not entry:
                heapq.heappop(self._heap)
                continue
            if entry.due > until:
                return None
            heapq.heappop(self._heap)
            del self._live[entry.key]
            self.elapsed = max(self.elapsed, entry.due)
            return entry.key
        return None

    def advance_to(self, until: float) -> None:
        self.elapsed = max(self.elapsed, until)
