"""AutoAnswerHandler: answer every call (the SIP server example's handler)."""

from __future__ import annotations

from engine.handlers.base import CallHandler
from engine.types import CallDecision, IncomingCall


class AutoAnswerHandler(CallHandler):
    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.accept()
