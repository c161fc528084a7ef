"""Session groups: name a set of sessions to act on them together.

Why: a conference, a queue or a campaign is a set of legs; ending or listing
them as one saves every caller from keeping its own bookkeeping. Groups hold
session ids only, and forget a session when it ends.
"""

from __future__ import annotations

from collections import defaultdict


class SessionGroups:
    """Group name -> session ids (plain data, no SIP)."""

    def __init__(self) -> None:
        self._members: defaultdict[str, set[str]] = defaultdict(set)

    def add(self, group: str, session_id: str) -> None:
        self._members[group].add(session_id)

    def remove(self, group: str, session_id: str) -> None:
        members = self._members.get(group)
        if members is not None:
            members.discard(session_id)
            if not members:
                del self._members[group]

    def members(self, group: str) -> frozenset[str]:
        return frozenset(self._members.get(group, ()))

    def groups_of(self, session_id: str) -> list[str]:
        return sorted(name for name, ids in self._members.items() if session_id in ids)

    def forget(self, session_id: str) -> None:
        """Remove an ended session from every group."""
        for name in self.groups_of(session_id):
            self.remove(name, session_id)

    def names(self) -> list[str]:
        return sorted(self._members)
