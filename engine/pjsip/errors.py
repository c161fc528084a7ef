"""The adapter's one exception type: a pjsua2 failure flattened to plain data.

Why: ``str(pj.Error)`` is empty and the object belongs to the pjsua2 thread, so
the adapter copies ``status``/``reason``/``info()`` into this exception before
it crosses to the event loop.
"""

from __future__ import annotations


class SipStackError(Exception):
    """A pjsua2 operation failed; ``status`` is the pj_status_t or SIP code."""

    def __init__(self, status: int, reason: str, title: str = "") -> None:
        super().__init__(f"{title or 'pjsua2'}: {reason} (status {status})")
        self.status = status
        self.reason = reason
        self.title = title


class UnknownSession(SipStackError):
    """The session has no live pjsua2 call (already disconnected or never existed)."""

    def __init__(self, session_id: str) -> None:
        super().__init__(0, f"no live call for session {session_id}", "lookup")
        self.session_id = session_id
