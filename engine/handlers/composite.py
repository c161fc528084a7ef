"""CompositeHandler: ask several handlers in turn.

Why: small handlers compose (e.g. a blocklist, then business hours, then a
queue). Each handler may answer ``CallDecision.next()`` to pass; the first
other decision wins. If every handler passes, ``default`` applies. Every
handler hears ``on_call_ended``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.handlers.base import CallHandler
from engine.types import CallDecision, DecisionKind, IncomingCall

if TYPE_CHECKING:
    from engine.session.handle import CallSession


class CompositeHandler(CallHandler):
    def __init__(self, handlers: Sequence[CallHandler], default: CallDecision | None = None):
        self.handlers = list(handlers)
        self.default = default or CallDecision.reject(480, "Temporarily Unavailable")

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        for handler in self.handlers:
            decision = await handler.on_incoming_call(call)
            if decision.kind != DecisionKind.NEXT:
                return decision
        return self.default

    async def on_call_ended(self, call: CallSession, reason: str) -> None:
        for handler in self.handlers:
            await handler.on_call_ended(call, reason)
