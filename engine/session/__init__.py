"""Session state: the state machine and the per-call record."""

from engine.session.session import Session
from engine.session.state import TRANSITIONS, CallState, IllegalTransition, SessionStateMachine

__all__ = ["TRANSITIONS", "CallState", "IllegalTransition", "Session", "SessionStateMachine"]
