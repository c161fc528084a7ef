"""The developer-facing API: builder, session handle, value types, errors."""

from engine.api.builder import SessionManagerBuilder
from engine.api.errors import (
    CallBusy,
    CallCancelled,
    CallDeclined,
    CallFailed,
    CallNotFound,
    CallTimeout,
    CapacityExceeded,
    EngineError,
    EngineNotRunning,
    InvalidState,
    MediaError,
    OperationFailed,
    ServiceUnavailable,
    SessionNotFound,
    call_failed,
)
from engine.api.session import CallSession
from engine.api.types import CallDecision, DecisionKind, IncomingCall, user_part

__all__ = [
    "CallBusy",
    "CallCancelled",
    "CallDecision",
    "CallDeclined",
    "CallFailed",
    "CallNotFound",
    "CallSession",
    "CallTimeout",
    "CapacityExceeded",
    "DecisionKind",
    "EngineError",
    "EngineNotRunning",
    "IncomingCall",
    "InvalidState",
    "MediaError",
    "OperationFailed",
    "ServiceUnavailable",
    "SessionManagerBuilder",
    "SessionNotFound",
    "call_failed",
    "user_part",
]
