"""The service around the executor, on the in-memory stack: a reload swaps the plans
for new calls while a call in progress keeps its own; a broken reload changes nothing;
a drain refuses new calls, lets calls finish within its timeout and hangs up the rest.
Over SIP: test_reload.py and test_drain.py."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from tests.dialplan.runtime.in_memory import serving, write_plan
from tests.support.plans import menu_plan

pytestmark = pytest.mark.memory

WAITS = """route 200 -> waits
flow waits {
  start:
    answer
    wait 300ms
    hangup
}
"""


def test_a_call_keeps_its_plan_across_a_reload_and_new_calls_get_the_new_one(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, menu_plan()) as served:
            old = served.call("100")
            await served.until(lambda: served.said(old) == ["Press 1."] and served.quiet(old))
            write_plan(served.folder, menu_plan("new_target", say="Hello again."))
            assert await served.service.reload("test")
            new = served.call("100")
            await served.until(lambda: served.said(new) == ["Press 1."] and served.quiet(new))
            for call in (old, new):
                served.far_end.press(call, "1")
                await served.ended(call)
            assert served.said(old)[-1] == "Bye." and served.where(old) == "ended"
            assert served.trace(old).version != served.trace(new).version
            assert served.trace(old).tracer.states == ["main.start", "main.old_target"]
            assert served.trace(new).tracer.states == ["main.start", "main.new_target"]
            assert served.said(new)[-1] == "Hello again."

    asyncio.run(scenario())


def test_a_broken_reload_is_refused_and_calls_keep_the_plans_they_had(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, menu_plan()) as served:
            before = served.service.plans.current
            write_plan(served.folder, menu_plan("nowhere"))
            assert not await served.service.reload("test")
            assert served.service.plans.current is before
            call = served.call("100")
            await served.until(lambda: served.quiet(call) and bool(served.said(call)))
            served.far_end.press(call, "1")
            await served.ended(call)
            assert served.trace(call).tracer.states == ["main.start", "main.old_target"]
            assert b"dialplan_reloads_failed_total 1.0" in \
                served.service.context.metrics.text()

    asyncio.run(scenario())


def test_a_drain_refuses_new_calls_and_waits_for_calls_that_end_in_time(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, WAITS) as served:
            call = served.call("200")
            await served.until(lambda: served.where(call) == "waits.start")
            started = time.monotonic()
            draining = asyncio.create_task(served.service.drain(10))
            await served.until(lambda: served.service.draining)
            late = served.call("200")
            await served.until(lambda: served.state(late) == "ended")
            assert served.response(late) == 503
            await draining
            assert time.monotonic() - started < 5  # the call's own end, not the timeout
            assert served.wire.legs[call].ended_by == "engine"
            assert served.records(call, tr.Hangup)  # its plan hung up, not the drain

    asyncio.run(scenario())


def test_a_drain_hangs_up_the_calls_still_there_at_its_timeout(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, menu_plan()) as served:
            call = served.call("100")
            await served.until(lambda: served.quiet(call) and bool(served.said(call)))
            started = time.monotonic()
            await served.service.drain(0.3)
            assert 0.3 <= time.monotonic() - started < 5
            assert served.state(call) == "ended"
            assert served.wire.legs[call].ended_by == "engine"
            assert not served.service.calls.runs

    asyncio.run(scenario())
