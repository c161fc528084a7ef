"""Sets of sessions the manager keeps: named groups, and bridges.

Why together: both are plain bookkeeping of session ids that must forget a
session when it ends. Groups: a conference, a queue or a campaign is a set of
legs; ending or listing them as one saves every caller from keeping its own
bookkeeping. Bridges: a bridge ends by itself when either leg ends, and the
manager must know which bridges a session belongs to so that unbridging twice,
or after a hangup, is harmless. The SIP work is done by the manager's media part.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from engine.types import BridgeInfo


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


class BridgeRegistry:
    """Live bridges by id (plain data; the SIP work is done by the manager)."""

    def __init__(self) -> None:
        self._bridges: dict[str, BridgeInfo] = {}
        self._ids = itertools.count(1)

    def add(self, first: str, second: str) -> BridgeInfo:
        if first == second:
            raise ValueError("cannot bridge a session to itself")
        info = BridgeInfo(f"bridge-{next(self._ids)}", (first, second))
        self._bridges[info.bridge_id] = info
        return info

    def remove(self, bridge_id: str) -> BridgeInfo | None:
        return self._bridges.pop(bridge_id, None)

    def of_session(self, session_id: str) -> list[BridgeInfo]:
        return [b for b in self._bridges.values() if session_id in b.session_ids]

    def forget_session(self, session_id: str) -> list[BridgeInfo]:
        """Drop (and return) every bridge the ended session was part of."""
        gone = self.of_session(session_id)
        for info in gone:
            del self._bridges[info.bridge_id]
        return gone

    def __len__(self) -> int:
        return len(self._bridges)
