"""The manager's life on the in-memory stack: drain on stop, illegal transitions."""

from __future__ import annotations

import asyncio
import logging

import pytest

from engine import (
    AutoAnswerHandler,
    EngineNotRunning,
    IllegalTransition,
    SessionManagerBuilder,
)
from engine.testing import MemoryStack
from tests.engine.manager.support import ALICE, SERVICE, Deferring, answered_call, build, run


class SlowHold(MemoryStack):
    """A stack whose hold completes only when the test says so (a slow re-INVITE)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def hold(self, session_id: str) -> None:
        await super().hold(session_id)
        await self.release.wait()


def test_stop_drains_live_calls_and_releases_everything() -> None:
    stack = MemoryStack()

    async def scenario() -> None:
        manager = build(stack)
        await manager.start()
        calls = [await answered_call(stack, manager), await answered_call(stack, manager)]
        assert (await manager.live_objects())["calls"] == 2
        await manager.stop()
        assert all(stack.wire.legs[c.id].ended_by == "engine" for c in calls)
        assert [c.final_status for c in calls] == [200, 200]
        assert not manager.sessions() and not manager.running
        await manager.stop()  # twice is harmless
        with pytest.raises(EngineNotRunning):
            await manager.make_call(None, "sip:bob@127.0.0.1")

    run(scenario())


def test_stop_declines_calls_still_ringing() -> None:
    stack, handler = MemoryStack(), Deferring()

    async def scenario() -> None:
        manager = build(stack, handler)
        await manager.start()
        sid = stack.far_end.offer_call(ALICE, SERVICE)
        await stack.wire.until(lambda: manager.sessions() != [])
        await manager.stop()
        assert stack.wire.legs[sid].response == 603
        assert handler.ended == [sid]

    run(scenario())


def test_illegal_transition_raises_in_strict_mode() -> None:
    stack = SlowHold()

    async def scenario() -> None:
        manager = build(stack)
        await manager.start()
        call = await answered_call(stack, manager)
        hold = asyncio.create_task(call.hold())
        await stack.wire.until(lambda: stack.wire.did("hold") != [])
        await call.terminate()  # the call ends while the hold is under way
        stack.release.set()
        with pytest.raises(IllegalTransition):
            await hold
        assert manager.stats.illegal_transitions == 1
        with pytest.raises(IllegalTransition):
            await manager.stop()

    run(scenario())


def test_illegal_transition_is_logged_and_counted_in_production(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stack = SlowHold()
    manager_builder = SessionManagerBuilder().with_stack(stack).with_handler(AutoAnswerHandler())

    async def scenario() -> None:
        async with manager_builder.build() as manager:
            call = await answered_call(stack, manager)
            hold = asyncio.create_task(call.hold())
            await stack.wire.until(lambda: stack.wire.did("hold") != [])
            await call.terminate()
            stack.release.set()
            await hold
            assert manager.stats.illegal_transitions == 1

    with caplog.at_level(logging.ERROR, logger="engine"):
        run(scenario())
    assert any("illegal session transition" in r.getMessage() for r in caplog.records)
