"""Ready-made call handlers."""

from engine.handlers.auto_answer import AutoAnswerHandler
from engine.handlers.base import CallHandler
from engine.handlers.composite import CompositeHandler
from engine.handlers.queue import QueueFull, QueueHandler
from engine.handlers.routing import RoutingHandler, compile_pattern, matches

__all__ = [
    "AutoAnswerHandler",
    "CallHandler",
    "CompositeHandler",
    "QueueFull",
    "QueueHandler",
    "RoutingHandler",
    "compile_pattern",
    "matches",
]
