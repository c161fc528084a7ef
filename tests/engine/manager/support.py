"""A manager on the in-memory stack, strict: an illegal session transition fails the test."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from engine import (
    AutoAnswerHandler,
    CallDecision,
    CallHandler,
    CallSession,
    IncomingCall,
    SessionManager,
    SessionManagerBuilder,
)
from engine.testing import MemoryStack

ALICE, SERVICE = "sip:alice@127.0.0.1", "sip:100@127.0.0.1"


def build(
    stack: MemoryStack,
    handler: CallHandler | None = None,
    builder: SessionManagerBuilder | None = None,
) -> SessionManager:
    builder = builder or SessionManagerBuilder()
    return builder.with_stack(stack).with_handler(handler or AutoAnswerHandler()).strict().build()


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(scenario, 10))


async def answered_call(stack: MemoryStack, manager: SessionManager) -> CallSession:
    """Alice calls; the engine answers (AutoAnswerHandler)."""
    sid = stack.far_end.offer_call(ALICE, SERVICE)
    await stack.wire.until(lambda: stack.wire.legs[sid].state == "connected")
    return manager.get_session(sid)


class Deferring(CallHandler):
    """Keeps every call ringing; remembers what it heard."""

    def __init__(self) -> None:
        self.ended: list[str] = []

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.defer()

    async def on_call_ended(self, call: CallSession, reason: str) -> None:
        self.ended.append(call.id)


class Rejecting(CallHandler):
    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.reject(486, "Busy Here")
