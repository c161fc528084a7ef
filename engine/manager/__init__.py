"""SessionManager internals: lifecycle, registry, signal routing, cleanup."""

from engine.manager.core import SessionManager
from engine.manager.registry import SessionRegistry

__all__ = ["SessionManager", "SessionRegistry"]
