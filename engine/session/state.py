"""The call-session state machine: a transition table and nothing else.

Theory of operation (after h11's ``_state.py``): all legal moves live in
``TRANSITIONS``; :class:`SessionStateMachine` refuses any other move with
:class:`IllegalTransition`, so a bug in signal handling shows up as an error
instead of a session silently in a wrong state. Staying in the same state is
a no-op (pjsua2 may report e.g. two media updates in a row). TERMINATED is
final.

EARLY_MEDIA is an inbound call we sent 183 Session Progress with SDP: its media
is up (prompts reach the caller) but it is not answered, so it can still be
answered (-> ACTIVE) or refused with a final error response (-> TERMINATING);
hold and transfer need a confirmed dialog and stay out of reach.
"""

from __future__ import annotations

from enum import StrEnum


class CallState(StrEnum):
    INITIATING = "initiating"
    RINGING = "ringing"
    EARLY_MEDIA = "early_media"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    TRANSFERRING = "transferring"
    TERMINATING = "terminating"
    TERMINATED = "terminated"


_ENDING = frozenset({CallState.TERMINATING, CallState.TERMINATED})

TRANSITIONS: dict[CallState, frozenset[CallState]] = {
    CallState.INITIATING: frozenset({CallState.RINGING, CallState.EARLY_MEDIA, CallState.ACTIVE})
    | _ENDING,
    CallState.RINGING: frozenset({CallState.EARLY_MEDIA, CallState.ACTIVE}) | _ENDING,
    CallState.EARLY_MEDIA: frozenset({CallState.ACTIVE}) | _ENDING,
    CallState.ACTIVE: frozenset({CallState.ON_HOLD, CallState.TRANSFERRING}) | _ENDING,
    CallState.ON_HOLD: frozenset({CallState.ACTIVE, CallState.TRANSFERRING}) | _ENDING,
    CallState.TRANSFERRING: frozenset({CallState.ACTIVE, CallState.ON_HOLD}) | _ENDING,
    CallState.TERMINATING: frozenset({CallState.TERMINATED}),
    CallState.TERMINATED: frozenset(),
}


class IllegalTransition(Exception):
    """A move the table does not allow (e.g. terminated -> active)."""

    def __init__(self, current: CallState, target: CallState) -> None:
        super().__init__(f"illegal session transition {current} -> {target}")
        self.current = current
        self.target = target


class SessionStateMachine:
    """Current state plus the history of states visited."""

    def __init__(self, initial: CallState = CallState.INITIATING) -> None:
        self.state = initial
        self.history: list[CallState] = [initial]

    def can(self, target: CallState) -> bool:
        return target == self.state or target in TRANSITIONS[self.state]

    def advance(self, target: CallState) -> bool:
        """Move to ``target``; False if already there, IllegalTransition if not allowed."""
        if target == self.state:
            return False
        if target not in TRANSITIONS[self.state]:
            raise IllegalTransition(self.state, target)
        self.state = target
        self.history.append(target)
        return True

    @property
    def ended(self) -> bool:
        return self.state in _ENDING
