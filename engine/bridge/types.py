"""Bridge value type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BridgeInfo:
    """Two sessions whose audio is cross-connected."""

    bridge_id: str
    session_ids: tuple[str, str]
