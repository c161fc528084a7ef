"""SessionManager and its parts: calls, control, media, cleanup, signal routing."""

from engine.manager.core import SessionManager
from engine.manager.registry import ManagerStats, SessionRegistry

__all__ = ["ManagerStats", "SessionManager", "SessionRegistry"]
