"""Session creation: outbound calls, and deciding about inbound ones.

Why here: these are the seed's ``make_call`` / ``accept_call`` /
``reject_call``. An outbound session is registered *before* the INVITE goes
out, so no signal about it can arrive for an unknown session. Capacity is
checked first on both paths: an outbound call over the limit raises
``CapacityExceeded`` without touching SIP; an inbound one is rejected with the
configured status before the handler is even asked.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable

from engine.admission import ChurnGuard, ResourceLimits
from engine.errors import CallTimeout, CapacityExceeded, InvalidState
from engine.handlers.base import CallHandler
from engine.manager.control import Control
from engine.manager.lifecycle import Lifecycle, stack_call
from engine.manager.registry import SessionRegistry
from engine.session.session import Session
from engine.session.state import CallState
from engine.stack import Stack
from engine.types import CallDecision, DecisionKind, IncomingCall, Priority

LOG = logging.getLogger("engine")
BRIDGE_RESERVE = 16  # slots kept free: players, recorders, taps of live calls
PriorityRule = Callable[[IncomingCall], Priority]


class Calls:
    def __init__(
        self,
        stack: Stack,
        registry: SessionRegistry,
        lifecycle: Lifecycle,
        control: Control,
        handler: CallHandler,
        limits: ResourceLimits,
        churn: ChurnGuard,
        priority_rule: PriorityRule | None,
    ) -> None:
        self._stack = stack
        self._registry = registry
        self._lifecycle = lifecycle
        self._control = control
        self._handler = handler
        self.limits = limits
        self.churn = churn
        self._priority_rule = priority_rule
        self._outbound_ids = itertools.count(1)
        self.needs_restart = False  # set when the bridge is nearly out of slots (see _admit)

    async def make_call(self, from_uri: str | None, to_uri: str) -> Session:
        """Send an INVITE from ``from_uri`` (None: the engine's own identity)."""
        self._lifecycle.require_running()
        refusal = await self._admit(self._registry.active_count())
        if refusal is not None:
            raise CapacityExceeded(refusal.status, refusal.reason)
        await self.churn.wait_for_room()
        session = Session(f"out-{next(self._outbound_ids)}", "outbound", from_uri or "", to_uri)
        session.request_uri = to_uri
        self._registry.add(session)
        try:
            await stack_call(
                "make_call", self._stack.make_call(session.session_id, from_uri, to_uri)
            )
        except BaseException:
            self._registry.remove(session.session_id)
            raise
        return session

    async def wait_answered(self, session: Session, timeout: float | None) -> None:
        """Return once answered; raise the typed CallFailed if it never is.

        On timeout the call is cancelled and ``CallTimeout`` (408) raised.
        """
        try:
            await asyncio.wait_for(asyncio.shield(session.answered), timeout)
        except TimeoutError:
            await self._control.terminate(session.session_id)
            raise CallTimeout(408, f"no answer within {timeout:g}s") from None

    async def accept_call(self, session_id: str) -> None:
        """Answer a ringing (or early-media) inbound call with 200 OK."""
        session = self._registry.get(session_id)
        _expect_ringing(session, "accept")
        await stack_call("answer", self._stack.answer(session_id, 200))

    async def progress_call(self, session_id: str) -> None:
        """Early media: 183 Session Progress with SDP on a ringing inbound call.

        Its media comes up without an answer, so prompts played now reach the
        caller; ``accept_call`` later sends the 200 OK on the same media session
        (no re-INVITE), ``reject_call`` a final error response. Again: no-op."""
        session = self._registry.get(session_id)
        _expect_ringing(session, "progress")
        if session.state == CallState.EARLY_MEDIA:
            return
        await stack_call("progress", self._stack.answer(session_id, 183, "Session Progress"))
        self._registry.advance(session, CallState.EARLY_MEDIA)

    async def reject_call(self, session_id: str, status: int = 486, reason: str = "") -> None:
        """Refuse a ringing inbound call with a 4xx-6xx final response."""
        decision = CallDecision.reject(status, reason)
        session = self._registry.get(session_id)
        _expect_ringing(session, "reject")
        self._registry.advance(session, CallState.TERMINATING)
        await stack_call("reject", self._stack.hangup(session_id, decision.status, reason))

    async def forward_call(self, session_id: str, target: str, status: int = 302) -> None:
        """Redirect a ringing inbound call to ``target`` (3xx with Contact)."""
        session = self._registry.get(session_id)
        _expect_ringing(session, "forward")
        self._registry.advance(session, CallState.TERMINATING)
        await stack_call("forward", self._stack.hangup(session_id, status, "Moved", target))

    async def _admit(
        self, active: int, priority: Priority = Priority.NORMAL
    ) -> CallDecision | None:
        """None if one more call may start, else the clean rejection to give.

        Besides the concurrent-call limit, refuse (503) when the conference bridge
        is nearly out of slots (players, recorders and taps use them too), and set
        ``needs_restart`` so a supervisor can recycle this process.
        """
        decision = self.limits.admit(active, priority)
        if decision is not None:
            return decision
        if await self._stack.bridge_slots_left() < BRIDGE_RESERVE:
            if not self.needs_restart:
                LOG.warning("bridge slots exhausted: refusing calls; restart this engine")
            self.needs_restart = True
            return CallDecision.reject(503, "Engine Needs Restart")
        return None

    async def decide(self, session: Session, sip_call_id: str) -> None:
        """An inbound call rings: admit it, ask the handler, apply the decision."""
        call = IncomingCall(
            session.session_id,
            session.remote_uri,
            session.local_uri,
            session.request_uri,
            sip_call_id,
            session.source,
            session.headers,
        )
        priority = self._priority_rule(call) if self._priority_rule else Priority.NORMAL
        decision = await self._admit(self._registry.active_count() - 1, priority)
        if decision is None:
            try:
                decision = await self._handler.on_incoming_call(call)
            except Exception:
                LOG.exception("handler failed on %s", session.session_id)
                decision = CallDecision.reject(500, "Server Internal Error")
        await self.churn.wait_for_room()
        await self._apply(session, decision)

    async def _apply(self, session: Session, decision: CallDecision) -> None:
        if session.machine.ended:
            return  # the caller gave up (CANCEL) while we were deciding
        sid = session.session_id
        try:
            if decision.kind == DecisionKind.ACCEPT:
                await self.accept_call(sid)
            elif decision.kind == DecisionKind.REJECT:
                await self.reject_call(sid, decision.status, decision.reason)
            elif decision.kind == DecisionKind.FORWARD:
                await self.forward_call(sid, decision.target, decision.status)
            elif decision.kind == DecisionKind.NEXT:
                await self.reject_call(sid, 480, "Temporarily Unavailable")
        except Exception as exc:  # the call may have vanished meanwhile
            LOG.info("could not apply %s to %s: %s", decision.kind, sid, exc)


def _expect_ringing(session: Session, operation: str) -> None:
    if session.direction != "inbound" or session.state not in (
        CallState.INITIATING,
        CallState.RINGING,
        CallState.EARLY_MEDIA,
    ):
        raise InvalidState(session.session_id, operation, session.state)
