"""Call control on the in-memory stack: transfer, REFER, hold, DTMF, hang-up."""

from __future__ import annotations

import pytest

from engine import (
    CallEnded,
    CallState,
    CallTransferred,
    HoldChanged,
    InvalidState,
    TransferStatus,
)
from engine.testing import MemoryStack
from tests.engine.manager.support import (
    ALICE,
    SERVICE,
    Deferring,
    answered_call,
    build,
    run,
)

AGENT = "sip:agent@127.0.0.1"


def test_blind_transfer_accepted_hangs_up_our_leg() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                await call.transfer(AGENT)
                assert call.state == CallState.TRANSFERRING
                final = await events.wait_for(TransferStatus, lambda e: e.final, timeout=2)
                await events.wait_for(CallEnded, timeout=2)
            assert final.status == 200
            assert stack.wire.did("transfer", call.id)[0].detail == (AGENT,)
            assert stack.wire.legs[call.id].ended_by == "engine"

    run(scenario())


def test_blind_transfer_refused_returns_the_call_to_active() -> None:
    stack = MemoryStack(transfer_status=None)

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                await call.transfer(AGENT)
                stack.far_end.transfer_result(call.id, 486, "Busy Here")
                final = await events.wait_for(TransferStatus, lambda e: e.final, timeout=2)
            assert (final.status, call.state) == (486, CallState.ACTIVE)

    run(scenario())


def test_caller_hang_up_during_a_transfer_ends_the_session() -> None:
    stack = MemoryStack(transfer_status=None)

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            await call.transfer(AGENT)
            stack.far_end.hang_up(call.id)
            await call.wait_ended(timeout=2)
            assert call.final_status == 200 and not manager.sessions()

    run(scenario())


def test_refer_from_the_far_end_is_refused_without_a_rule() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            assert stack.far_end.refer(call.id, AGENT) == 603
            assert [s.id for s in manager.sessions()] == [call.id]

    run(scenario())


def test_refer_accepted_by_the_rule_places_a_child_call() -> None:
    stack = MemoryStack(on_dial=lambda uri: 200)

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            await call.accept_refer(lambda target: 202 if target == AGENT else 403)
            with manager.bus.subscribe() as events:
                assert stack.far_end.refer(call.id, "sip:other@127.0.0.1") == 403
                assert stack.far_end.refer(call.id, AGENT) == 202
                moved = await events.wait_for(CallTransferred, timeout=2)
            child = manager.get_session(moved.session_id)
            await child.wait_for_answer(timeout=2)
            assert (child.parent_id, child.remote_uri) == (call.id, AGENT)

    run(scenario())


def test_hold_and_resume() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                await call.hold()
                held = await events.wait_for(HoldChanged, timeout=2)
                await call.resume()
                resumed = await events.wait_for(HoldChanged, timeout=2)
            assert (held.local_hold, resumed.local_hold) == (True, False)
            assert call.state == CallState.ACTIVE

    run(scenario())


def test_caller_hang_up_while_on_hold_ends_the_session() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            await call.hold()
            stack.far_end.hang_up(call.id)
            await call.wait_ended(timeout=2)
            assert not manager.sessions()

    run(scenario())


def test_far_end_hold_is_reported() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            with call.events() as events:
                stack.far_end.hold(call.id)
                held = await events.wait_for(HoldChanged, timeout=2)
            assert held.remote_hold and call.remote_hold

    run(scenario())


def test_send_dtmf_reaches_the_stack() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            call = await answered_call(stack, manager)
            await call.send_dtmf("42", "sip_info")
            assert stack.wire.did("dtmf", call.id)[0].detail == ("42", "sip_info")
            with pytest.raises(ValueError):
                await call.send_dtmf("1", "smoke")

    run(scenario())


def test_operations_check_the_state_first() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack, Deferring()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            with pytest.raises(InvalidState):
                await manager.hold(sid)
            assert stack.wire.did("hold") == []

    run(scenario())


def test_engine_hang_up_of_a_ringing_call_declines_it() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack, Deferring()) as manager:
            sid = stack.far_end.offer_call(ALICE, SERVICE)
            await stack.wire.until(lambda: manager.sessions() != [])
            await manager.terminate(sid)
            await stack.wire.until(lambda: stack.wire.legs[sid].state == "ended")
            assert stack.wire.legs[sid].response == 603

    run(scenario())


def test_terminate_group_hangs_up_its_members() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        async with build(stack) as manager:
            first = await answered_call(stack, manager)
            second = await answered_call(stack, manager)
            manager.groups.add("conference", first.id)
            await manager.terminate_group("conference")
            await first.wait_ended(timeout=2)
            assert [s.id for s in manager.sessions()] == [second.id]

    run(scenario())
