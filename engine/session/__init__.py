"""Session state: the state machine, the per-call record, and the handle users hold."""

from engine.session.handle import CallSession, SessionOps
from engine.session.session import Session
from engine.session.state import TRANSITIONS, CallState, IllegalTransition, SessionStateMachine

__all__ = [
    "TRANSITIONS",
    "CallSession",
    "CallState",
    "IllegalTransition",
    "Session",
    "SessionOps",
    "SessionStateMachine",
]
