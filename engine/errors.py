"""Typed errors of the public API; call failures carry the SIP status.

Why a class per common status: callers write ``except CallBusy`` rather than
comparing numbers, and the status is still there for logging and for
statuses without a class of their own (they raise plain ``CallFailed``).
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class EngineNotRunning(EngineError):
    """The SessionManager is not started (or already stopped)."""


class SessionNotFound(EngineError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"no session {session_id}")
        self.session_id = session_id


class InvalidState(EngineError):
    """The operation is not allowed in the session's current state."""

    def __init__(self, session_id: str, operation: str, state: str) -> None:
        super().__init__(f"cannot {operation} session {session_id} in state {state}")
        self.session_id = session_id
        self.operation = operation
        self.state = state


class CallFailed(EngineError):
    """A call did not get (or stay) connected; ``status`` is the SIP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"call failed: {status} {reason}".rstrip())
        self.status = status
        self.reason = reason


class CallNotFound(CallFailed):
    """404: the far end knows no such user."""


class CallTimeout(CallFailed):
    """408 or our own answer timeout: nobody answered in time."""


class CallBusy(CallFailed):
    """486 / 600: the far end is busy."""


class CallCancelled(CallFailed):
    """487: the INVITE was cancelled before answer."""


class CallDeclined(CallFailed):
    """603: the far end declined."""


class ServiceUnavailable(CallFailed):
    """503: the far end (or a proxy) is overloaded or unreachable."""


class CapacityExceeded(ServiceUnavailable):
    """This engine is at its concurrent-call capacity (nothing was sent)."""


class OperationFailed(EngineError):
    """The SIP stack refused an operation; ``code`` is pjsip's status code."""

    def __init__(self, operation: str, code: int, reason: str) -> None:
        super().__init__(f"{operation} failed: {reason} (pj status {code})")
        self.operation = operation
        self.code = code
        self.reason = reason


class MediaError(OperationFailed):
    """A media operation (play, record, bridge) failed."""


_BY_STATUS: dict[int, type[CallFailed]] = {
    404: CallNotFound,
    408: CallTimeout,
    480: CallTimeout,
    486: CallBusy,
    600: CallBusy,
    487: CallCancelled,
    603: CallDeclined,
    503: ServiceUnavailable,
}


def call_failed(status: int, reason: str) -> CallFailed:
    """The most specific error class for a final SIP status."""
    return _BY_STATUS.get(status, CallFailed)(status, reason)
