"""Resource limits: admit a call or reject it cleanly with a SIP status.

Why here and not in pjsua: pjsua's compiled cap (4 calls) would answer 486 on
its own (the gate module answers 503 there instead), but only when it is
already full. The engine enforces its configured
limit first, with a status chosen by the operator (503 by default, which a
dispatcher such as Kamailio treats as "try another worker"), and reports its
capacity so a dispatcher can be configured to match.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.api.types import CallDecision
from engine.coordination.priority import Priority

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
