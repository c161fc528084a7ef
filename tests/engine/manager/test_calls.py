"""Calls on the in-memory stack: inbound decisions, limits, outbound calls."""

from __future__ import annotations

import pytest

from engine import (
    CallBusy,
    CallDecision,
    CallEnded,
    CallState,
    CallTimeout,
    CapacityExceeded,
    DtmfReceived,
    IncomingCall,
    SessionManagerBuilder,
)
from engine.testing import MemoryStack
from tests.engine.manager.support import (
    ALICE,
    SERVICE,
    Deferring,
    Rejecting,
    answered_call,
    build,
    run,
)


def test_incoming_call_is_answered_with_200() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            assert stack.wire.legs[call.id].response == 200
            assert call.state == CallState.ACTIVE
            assert call.remote_uri == ALICE

    run(scenario())


def test_rejecting_handler_gives_its_status() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack, Rejecting()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "ended")
            assert stack.wire.legs[sid].response == 486
            await stack.wire.until(lambda: not manager.sessions())

    run(scenario())


def test_caller_hang_up_while_ringing_ends_the_session_and_tells_the_handler() -> None:
    stack, handler = MemoryStack(), Deferring()

    async def scenario() -> None:
        async with build(stack, handler) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            assert manager.get_session(sid).state == CallState.RINGING
            with manager.bus.subscribe(sid) as events:
                stack.far_end.hang_up(sid)
                ended = await events.wait_for(CallEnded, timeout=2)
            assert ended.status == 487
            await stack.wire.until(lambda: handler.ended == [sid])
            assert stack.wire.legs[sid].response is None  # never answered

    run(scenario())


def test_caller_hang_up_when_answered_ends_the_session() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                stack.far_end.hang_up(call.id)
                ended = await events.wait_for(CallEnded, timeout=2)
            assert (ended.status, call.state, call.final_status) == (200, "terminated", 200)
            assert not manager.sessions()

    run(scenario())


def test_dtmf_from_the_caller_reaches_the_session() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                stack.far_end.press(call.id, "12#", "sip_info")
                got = [await events.wait_for(DtmfReceived, timeout=2) for _ in "12#"]
            assert [(e.digit, e.method) for e in got] == [(d, "sip_info") for d in "12#"]

    run(scenario())


def test_calls_over_max_sessions_get_the_reject_status() -> None:
    stack = MemoryStack()
    builder = SessionManagerBuilder().with_max_sessions(1, reject_status=503)

    async def scenario() -> None:
        async with build(stack, builder=builder) as manager:
            first = await answered_call(stack, manager)
            second = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: stack.wire.legs[second].state == "ended")
            assert stack.wire.legs[second].response == 503
            assert first.state == CallState.ACTIVE
            with pytest.raises(CapacityExceeded):
                await manager.make_call(None, "sip:bob@127.0.0.1")

    run(scenario())


def test_an_engine_out_of_bridge_slots_refuses_calls_and_asks_for_a_restart() -> None:
    stack = MemoryStack(bridge_slots=3)

    async def scenario() -> None:
        async with build(stack) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "ended")
            assert stack.wire.legs[sid].response == 503
            assert manager.needs_restart

    run(scenario())


def test_dialled_call_answered_by_the_far_end() -> None:
    stack = MemoryStack(on_dial=lambda uri: 200)

    async def scenario() -> None:
        async with build(stack) as manager:
            leg = await manager.make_call("sip:ivr@127.0.0.1", "sip:bob@127.0.0.1")
            await leg.wait_for_answer(timeout=2)
            assert leg.state == CallState.ACTIVE
            assert stack.wire.did("dial")[0].detail == ("sip:ivr@127.0.0.1", "sip:bob@127.0.0.1")

    run(scenario())


def test_dialled_call_refused_busy_raises_call_busy() -> None:
    stack = MemoryStack(on_dial=lambda uri: 486)

    async def scenario() -> None:
        async with build(stack) as manager:
            leg = await manager.make_call(None, "sip:bob@127.0.0.1")
            with pytest.raises(CallBusy):
                await leg.wait_for_answer(timeout=2)

    run(scenario())


def test_dialled_call_unanswered_in_time_is_cancelled() -> None:
    stack = MemoryStack()  # dialled legs keep ringing

    async def scenario() -> None:
        async with build(stack) as manager:
            leg = await manager.make_call(None, "sip:bob@127.0.0.1")
            with pytest.raises(CallTimeout):
                await leg.wait_for_answer(timeout=0.05)
            await stack.wire.until(lambda: stack.wire.legs[leg.id].state == "ended")
            assert stack.wire.legs[leg.id].ended_by == "engine"
            await leg.wait_ended(timeout=2)
            assert leg.final_status == 487

    run(scenario())


def test_the_handler_sees_where_the_invite_came_from_and_its_extension_headers() -> None:
    stack, seen = MemoryStack(), []

    class Recording(Deferring):
        async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
            seen.append(call)
            return CallDecision.defer()

    async def scenario() -> None:
        async with build(stack, Recording()):
            stack.far_end.offer_call(ALICE, SERVICE, source="127.0.0.9:5062",
                                     headers=(("X-Dialplan-Extension", "201"),))
            await stack.wire.until(lambda: seen != [])

    run(scenario())
    assert seen[0].source == "127.0.0.9:5062"
    assert seen[0].header("x-dialplan-extension") == "201"
    assert seen[0].header("X-Other") is None


def test_the_load_listener_counts_every_leg_a_caller_and_each_dialled_party() -> None:
    stack, heard = MemoryStack(on_dial=lambda uri: 200), []
    builder = SessionManagerBuilder().with_load_listener(heard.append)

    async def scenario() -> None:
        async with build(stack, builder=builder) as manager:
            call = await answered_call(stack, manager)
            leg = await manager.make_call(None, "sip:bob@127.0.0.1")
            await leg.wait_for_answer(timeout=2)
            assert heard[-1] == 2  # a bridged call holds two of the process's slots
            stack.far_end.hang_up(leg.id)
            await stack.wire.until(lambda: heard[-1] == 1)
            stack.far_end.hang_up(call.id)
            await stack.wire.until(lambda: heard[-1] == 0)

    run(scenario())
    assert max(heard) == 2
