"""Admission: whether one more call may start now, and when.

Two guards, both plain data, no SIP. ``ResourceLimits`` admits a call or rejects
it cleanly with a SIP status. Why here and not in pjsua: pjsua's compiled cap
(4 calls) would answer 486 on its own (the gate module answers 503 there
instead), but only when it is already full. The engine enforces its configured
limit first, with a status chosen by the operator (503 by default, which a
dispatcher such as Kamailio treats as "try another worker"), and reports its
capacity so a dispatcher can be configured to match.

``ChurnGuard`` paces call set-up so short calls cannot exhaust pjsip's sockets.

Why: the wheel's I/O queue is select()-based with 64 slots, and with the
idle-cheap setting (``hasIoqueue=False``) each call's RTP and RTCP sockets
live in it. A closed socket's slot is only recycled 500 ms later
(PJ_IOQUEUE_KEY_FREE_DELAY), and a register with no free slot is an
assertion: the process aborts. Measured: 1,000 back-to-back zero-length calls
aborted after ~31 calls; at 30 calls/s all passed. So the engine counts calls
that ended in the last ``window`` seconds and holds the next answer (or
rejection, or outbound INVITE) until fewer than ``max_recent`` remain. With
at most 4 live calls that keeps the slots in use under 1 + 2*4 + 2*24 = 57.

The same delay holds the RTP/RTCP port pair of an ended call, so a small
media port range is the tighter limit: :func:`churn_limit` derives
``max_recent`` from both (measured: a 40-port range failed one call in ~1,400
with 488 at 40 set-ups/s; size ranges at 64 ports or more for full speed).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass

from engine.types import CallDecision, Priority

HARD_CAP = 4  # PJSUA_MAX_CALLS compiled into the PyPI wheel


@dataclass(frozen=True, slots=True)
class ResourceLimits:
    """Concurrent-session limit, reserve for priority calls, rejection status."""

    max_sessions: int = HARD_CAP
    reserved_for_priority: int = 0
    reject_status: int = 503
    reject_reason: str = "Service Unavailable"

    def __post_init__(self) -> None:
        if self.max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        if not 0 <= self.reserved_for_priority < self.capacity:
            raise ValueError("reserved_for_priority must leave at least one ordinary slot")
        if not 400 <= self.reject_status <= 699:
            raise ValueError("reject_status must be a 4xx-6xx SIP status")

    @property
    def capacity(self) -> int:
        """Concurrent calls this process can really carry."""
        return min(self.max_sessions, HARD_CAP)

    def admit(self, active: int, priority: Priority = Priority.NORMAL) -> CallDecision | None:
        """None if a new call fits beside ``active`` others, else the rejection."""
        limit = self.capacity
        if priority < Priority.HIGH:
            limit -= self.reserved_for_priority
        if active < limit:
            return None
        return CallDecision.reject(self.reject_status, self.reject_reason)



IOQUEUE_SLOTS = 64
MAX_RECENT = 24


def churn_limit(media_ports: int, capacity: int) -> int:
    """Endings allowed per window so neither sockets nor RTP ports run out."""
    by_ports = media_ports // 2 - capacity - 2
    by_slots = (IOQUEUE_SLOTS - 1 - 2 * capacity) // 2 - 3
    return max(1, min(MAX_RECENT, by_ports, by_slots))


class ChurnGuard:
    def __init__(self, max_recent: int = MAX_RECENT, window: float = 0.6) -> None:
        self.max_recent = max_recent
        self.window = window
        self._ends: deque[float] = deque()
        self.waits = 0  # how often set-up had to be held back (for diagnostics)

    def note_end(self, now: float | None = None) -> None:
        self._ends.append(time.monotonic() if now is None else now)

    def recent(self, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        while self._ends and now - self._ends[0] > self.window:
            self._ends.popleft()
        return len(self._ends)

    def delay(self, now: float | None = None) -> float:
        """Seconds to wait before one more call may be set up (0: go ahead)."""
        now = time.monotonic() if now is None else now
        if self.recent(now) < self.max_recent:
            return 0.0
        return self._ends[0] + self.window - now + 0.001

    async def wait_for_room(self) -> None:
        while (pause := self.delay()) > 0:
            self.waits += 1
            await asyncio.sleep(pause)
