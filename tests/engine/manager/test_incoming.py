"""Incoming calls on the in-memory stack: answered, rejected, hung up by the caller."""

from __future__ import annotations

import asyncio

from engine import CallDecision, CallEnded, CallState, DtmfReceived, IncomingCall
from engine.testing import MemoryStack
from tests.engine.manager.conftest import build

ALICE, BOB = "sip:alice@127.0.0.1", "sip:100@127.0.0.1"


class Rejecting:
    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.reject(486, "Busy Here")

    async def on_call_ended(self, session: object, reason: str) -> None:
        return None


def test_incoming_call_is_answered_with_200(stack: MemoryStack) -> None:
    async def scenario() -> None:
        async with build(stack) as manager:
            sid = stack.far_end.offer_call(ALICE, BOB)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "connected")
            assert stack.wire.legs[sid].response == 200
            assert manager.get_session(sid).state == CallState.ACTIVE

    asyncio.run(scenario())


def test_rejecting_handler_gives_its_status(stack: MemoryStack) -> None:
    async def scenario() -> None:
        async with build(stack, Rejecting()):
            sid = stack.far_end.offer_call(ALICE, BOB)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "ended")
            assert stack.wire.legs[sid].response == 486

    asyncio.run(scenario())


def test_caller_hang_up_ends_the_session(stack: MemoryStack) -> None:
    async def scenario() -> None:
        async with build(stack) as manager:
            sid = stack.far_end.offer_call(ALICE, BOB)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "connected")
            with manager.bus.subscribe(sid) as events:
                stack.far_end.hang_up(sid)
                ended = await events.wait_for(CallEnded, timeout=2)
            assert ended.status == 200
            assert not manager.sessions()

    asyncio.run(scenario())


def test_dtmf_from_the_caller_reaches_the_session(stack: MemoryStack) -> None:
    async def scenario() -> None:
        async with build(stack) as manager:
            sid = stack.far_end.offer_call(ALICE, BOB)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "connected")
            with manager.get_session(sid).events() as events:
                stack.far_end.press(sid, "12#")
                digits = [(await events.wait_for(DtmfReceived, timeout=2)).digit for _ in "12#"]
            assert "".join(digits) == "12#"

    asyncio.run(scenario())
