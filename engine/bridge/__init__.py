"""Multi-session bridging."""

from engine.bridge.bridge import BridgeRegistry
from engine.bridge.types import BridgeInfo

__all__ = ["BridgeInfo", "BridgeRegistry"]
