"""Bridges: cross-connect the audio of two sessions, and undo it.

Why a registry: a bridge ends by itself when either leg ends, and the
manager must know which bridges a session belongs to so that unbridging
twice, or after a hangup, is harmless.
"""

from __future__ import annotations

import itertools

from engine.bridge.types import BridgeInfo


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
