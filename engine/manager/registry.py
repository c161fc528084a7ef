"""The live sessions, and the one place their state changes.

Why keyed by our own id: pjsua reuses its call ids, so they are useless as
keys for anything that lives longer than one call. Why transitions live here:
every state change is checked against the table in ``engine.session.state``
and published as ``CallStateChanged``; an illegal one is a bug in signal
handling, so it is never applied: logged at error level and counted in
``ManagerStats`` in production, raised in strict mode (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from engine.errors import SessionNotFound
from engine.events.bus import EventBus
from engine.events.types import CallStateChanged
from engine.session.session import Session
from engine.session.state import CallState, IllegalTransition

LOG = logging.getLogger("engine")


@dataclass
class ManagerStats:
    """Counters the service reads; ``illegal_transitions`` should stay 0. In strict
    mode ``faults`` keeps each one so ``SessionManager.stop`` can raise the first."""

    illegal_transitions: int = 0
    faults: list[IllegalTransition] = field(default_factory=list)


def _unheard(legs: int) -> None:
    """Nobody asked to hear the load."""


class SessionRegistry:
    """``on_load`` hears the number of live legs (``active_count``) whenever it may have
    changed: a pool's worker reports it, since a bridged call holds two of its slots."""

    def __init__(self, bus: EventBus, strict: bool = False,
                 on_load: Callable[[int], None] | None = None) -> None:
        self.bus = bus
        self.strict = strict
        self.stats = ManagerStats()
        self._sessions: dict[str, Session] = {}
        self._on_load = on_load or _unheard

    def add(self, session: Session) -> None:
        if session.session_id in self._sessions:
            raise ValueError(f"duplicate session id {session.session_id}")
        self._sessions[session.session_id] = session
        self._on_load(self.active_count())

    def get(self, session_id: str) -> Session:
        try:
            return self._sessions[session_id]
        except KeyError:
            raise SessionNotFound(session_id) from None

    def find(self, session_id: str) -> Session | None:
        return self._sessions.get(session_id)

    def remove(self, session_id: str) -> Session | None:
        session = self._sessions.pop(session_id, None)
        if session is not None:
            self._on_load(self.active_count())
        return session

    def active_count(self) -> int:
        """Sessions that still hold (or will hold) a call slot."""
        return sum(1 for s in self._sessions.values() if s.state != CallState.TERMINATED)

    def advance(self, session: Session, target: CallState) -> None:
        """Move a session to ``target`` and say so on the bus (see the module doc)."""
        old = session.state
        try:
            changed = session.machine.advance(target)
        except IllegalTransition as exc:
            self.stats.illegal_transitions += 1
            LOG.error("session %s: %s", session.session_id, exc)
            if self.strict:
                self.stats.faults.append(exc)
                raise
            return
        if changed:
            self.bus.publish(CallStateChanged(session.session_id, old, target))
            if target == CallState.TERMINATED:
                self._on_load(self.active_count())

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        return iter(list(self._sessions.values()))
