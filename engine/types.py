"""The engine's value types: what a handler sees and answers, priorities, bridges.

Why frozen dataclasses and enums at the bottom: they cross task boundaries
(queues, handlers) and every layer passes them around, so they depend on
nothing and must not change under anyone's feet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


@dataclass(frozen=True, slots=True)
class IncomingCall:
    """An inbound INVITE waiting for a decision."""

    session_id: str
    from_uri: str
    to_uri: str
    request_uri: str
    sip_call_id: str = ""
    source: str = ""  # host:port the INVITE came from
    headers: tuple[tuple[str, str], ...] = ()  # its extension (X-) headers, as received

    def header(self, name: str) -> str | None:
        """The first extension header called ``name`` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def dialled(self) -> str:
        """The user part of the Request-URI: the number that was dialled."""
        return user_part(self.request_uri) or user_part(self.to_uri)


def user_part(uri: str) -> str:
    """``"Alice" <sip:100@host;x=y>`` -> ``100``; empty if there is no user part."""
    inner = uri[uri.find("<") + 1 : uri.rfind(">")] if "<" in uri else uri
    inner = inner.split(":", 1)[1] if ":" in inner else inner
    return inner.split("@", 1)[0] if "@" in inner else ""


class DecisionKind(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    DEFER = "defer"
    FORWARD = "forward"
    NEXT = "next"


@dataclass(frozen=True, slots=True)
class CallDecision:
    """What to do with an incoming call."""

    kind: DecisionKind
    status: int = 0
    reason: str = ""
    target: str = ""

    @classmethod
    def accept(cls) -> CallDecision:
        return cls(DecisionKind.ACCEPT, 200)

    @classmethod
    def reject(cls, status: int = 486, reason: str = "Busy Here") -> CallDecision:
        if not 400 <= status <= 699:
            raise ValueError(f"reject needs a 4xx-6xx status, got {status}")
        return cls(DecisionKind.REJECT, status, reason)

    @classmethod
    def defer(cls) -> CallDecision:
        """Keep ringing; someone calls ``accept_call``/``reject_call`` later."""
        return cls(DecisionKind.DEFER, 180)

    @classmethod
    def forward(cls, target: str, status: int = 302) -> CallDecision:
        """Redirect the caller to ``target`` (3xx with a Contact)."""
        return cls(DecisionKind.FORWARD, status, "Moved Temporarily", target)

    @classmethod
    def next(cls) -> CallDecision:
        """No opinion: a CompositeHandler asks its next handler."""
        return cls(DecisionKind.NEXT)


class Priority(IntEnum):
    """Which calls may use the slots held in reserve: a worker has only 4, and an
    operator can keep some for high-priority traffic (e.g. emergency numbers)."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    EMERGENCY = 3


@dataclass(frozen=True, slots=True)
class BridgeInfo:
    """Two sessions whose audio is cross-connected."""

    bridge_id: str
    session_ids: tuple[str, str]
