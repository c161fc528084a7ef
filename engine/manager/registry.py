"""Session registry: our session id -> Session record.

Why keyed by our own id: pjsua reuses its call ids, so they are useless as
keys for anything that lives longer than one call.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.api.errors import SessionNotFound
from engine.session.session import Session
from engine.session.state import CallState


class SessionRegistry:
    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}

    def add(self, session: Session) -> None:
        if session.session_id in self._sessions:
            raise ValueError(f"duplicate session id {session.session_id}")
        self._sessions[session.session_id] = session

    def get(self, session_id: str) -> Session:
        try:
            return self._sessions[session_id]
        except KeyError:
            raise SessionNotFound(session_id) from None

    def find(self, session_id: str) -> Session | None:
        return self._sessions.get(session_id)

    def remove(self, session_id: str) -> Session | None:
        return self._sessions.pop(session_id, None)

    def active_count(self) -> int:
        """Sessions that still hold (or will hold) a call slot."""
        return sum(1 for s in self._sessions.values() if s.state != CallState.TERMINATED)

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        return iter(list(self._sessions.values()))
