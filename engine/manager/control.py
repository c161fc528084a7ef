"""Call control: hold, resume, transfer, DTMF, mute, terminate.

Why the state checks: each operation is legal only in some states (you
cannot hold a ringing call or transfer a terminated one); the check raises
``InvalidState`` before anything is sent, instead of letting pjsua2 fail in
a less readable way.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.errors import InvalidState
from engine.manager.groups import SessionGroups
from engine.manager.lifecycle import stack_call
from engine.manager.registry import SessionRegistry
from engine.session.session import Session
from engine.session.state import CallState
from engine.stack import Stack

DTMF_METHODS = ("rfc2833", "sip_info")
_CONNECTED = (CallState.ACTIVE, CallState.ON_HOLD)


def expect(session: Session, operation: str, *states: CallState) -> None:
    """Raise ``InvalidState`` unless the session is in one of ``states``."""
    if session.state not in states:
        raise InvalidState(session.session_id, operation, session.state)


class Control:
    def __init__(self, stack: Stack, registry: SessionRegistry, groups: SessionGroups) -> None:
        self._stack = stack
        self._registry = registry
        self._groups = groups

    async def hold(self, session_id: str) -> None:
        """Put the far end on hold (re-INVITE, a=sendonly); it sees remote hold."""
        session = self._registry.get(session_id)
        expect(session, "hold", CallState.ACTIVE)
        await stack_call("hold", self._stack.hold(session_id))
        self._registry.advance(session, CallState.ON_HOLD)

    async def resume(self, session_id: str) -> None:
        session = self._registry.get(session_id)
        expect(session, "resume", CallState.ON_HOLD)
        await stack_call("resume", self._stack.resume(session_id))
        self._registry.advance(session, CallState.ACTIVE)

    async def transfer(self, session_id: str, target_uri: str) -> None:
        """Blind transfer (REFER). On a 2xx NOTIFY our leg is hung up."""
        session = self._registry.get(session_id)
        expect(session, "transfer", *_CONNECTED)
        self._registry.advance(session, CallState.TRANSFERRING)
        await stack_call("transfer", self._stack.transfer(session_id, target_uri))

    async def accept_refer(self, session_id: str, rule: Callable[[str], int] | None) -> None:
        """Let REFERs from this call's far end through ``rule``; by default they get 603.

        ``rule`` maps the Refer-To URI to 202 (the engine then places that call, a
        new session whose ``parent_id`` is this one) or to a 4xx-6xx refusal. It runs
        on the SIP thread inside the REFER's handling: it must be quick, pure and
        thread-safe (no I/O, no event-loop objects). None withdraws it.
        """
        self._registry.get(session_id)
        await stack_call("accept_refer", self._stack.allow_refer(session_id, rule))

    async def transfer_attended(self, session_id: str, other_session_id: str) -> None:
        """Attended transfer: REFER with Replaces to our other session's dialog."""
        session = self._registry.get(session_id)
        expect(session, "transfer", *_CONNECTED)
        self._registry.get(other_session_id)
        self._registry.advance(session, CallState.TRANSFERRING)
        await stack_call(
            "transfer", self._stack.transfer_attended(session_id, other_session_id)
        )

    async def send_dtmf(self, session_id: str, digits: str, method: str = "rfc2833") -> None:
        """Send digits by RFC 2833 telephone-events or SIP INFO."""
        if method not in DTMF_METHODS:
            raise ValueError(f"method must be one of {DTMF_METHODS}")
        session = self._registry.get(session_id)
        expect(session, "send DTMF on", *_CONNECTED)
        await stack_call("send_dtmf", self._stack.send_dtmf(session_id, digits, method))

    async def mute(self, session_id: str, muted: bool) -> None:
        """Stop (or restart) sending audio to the far end (prompts and bridge included)."""
        self._registry.get(session_id)
        await stack_call("mute" if muted else "unmute", self._stack.mute(session_id, muted), True)

    async def terminate(self, session_id: str) -> None:
        """Hang up: BYE if connected, CANCEL if ringing out, 603 if ringing in."""
        session = self._registry.find(session_id)
        if session is None or session.machine.ended:
            return
        self._registry.advance(session, CallState.TERMINATING)
        await stack_call("terminate", self._stack.hangup(session_id))

    async def terminate_group(self, group: str) -> None:
        for session_id in self._groups.members(group):
            await self.terminate(session_id)
