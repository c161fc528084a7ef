"""The commands of a call with its caller alone, performed by the executor on the
in-memory stack (in_memory.py): answer, say, menu, collect, transfer and hangup. Over
SIP: test_demo.py and test_actions_{menu,collect,transfer}.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import ANY_AT, serving
from tests.support.harness import ROOT

pytestmark = pytest.mark.memory

DEMO = (ROOT / "examples/dialplans/demo.dialplan").read_text()
AGENT, OTHER = "sip:agent@127.0.0.1:5090", "sip:bob@127.0.0.1:5090"


def test_answer_say_menu_and_hangup_run_the_demo_to_its_goodbye(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: served.where(call) == "demo.menu"
                               and len(served.said(call)) == 2 and served.quiet(call))
            assert served.response(call) == 200
            served.far_end.press(call, "1")
            await served.ended(call)
            assert served.said(call) == ["Welcome to the dialplan demo.",
                                         "Press 1 to hear goodbye. Press 2 to be transferred.",
                                         "Goodbye."]
            assert served.wire.legs[call].ended_by == "engine"
            assert len(served.wire.played(call)) == 3

    asyncio.run(scenario())


def test_a_wrong_key_runs_nomatch_and_the_menu_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "7")
            await served.until(lambda: len(served.said(call)) == 4)
            assert served.said(call)[2:] == [
                "That is not an option.", "Press 1 to hear goodbye. Press 2 to be transferred."]
            assert served.where(call) == "demo.menu"

    asyncio.run(scenario())


def test_an_unrouted_number_gets_404_and_is_counted(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("999")
            await served.until(lambda: served.state(call) == "ended")
            assert served.response(call) == 404
            assert b"dialplan_calls_unrouted_total 1.0" in served.service.context.metrics.text()

    asyncio.run(scenario())


PIN = """route 301 -> pin
flow pin {
  start:
    answer
    collect pin "Enter your pin." digits 2..6 until "#" timeout 2s attempts 3
    say "You entered {{ pin }}."
    hangup cause busy
}
"""


def test_collect_gathers_digits_until_the_terminator_and_hangup_gives_its_cause(
        tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, PIN) as served:
            call = served.call("301")
            await served.until(lambda: served.said(call) == ["Enter your pin."]
                               and served.quiet(call))
            served.far_end.press(call, "42#")
            await served.ended(call)
            assert served.said(call)[-1] == "You entered 42."
            assert served.trace(call).variables["pin"] == "42"
            assert served.records(call, tr.Hangup) == [tr.Hangup("busy", 486, ANY_AT)]

    asyncio.run(scenario())


def test_a_transfer_the_far_end_accepts_ends_the_call(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.until(lambda: bool(served.records(call, tr.Result)))
            assert served.wire.did("transfer", call)[0].detail == ("sip:200@127.0.0.1:5070",)
            assert served.records(call, tr.Request) == [
                tr.Request("transfer", ("sip:200@127.0.0.1:5070",), ANY_AT)]
            assert served.records(call, tr.Result)[0].outcome == "answer"

    asyncio.run(scenario())


def test_a_refused_transfer_runs_its_failed_branch(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO, MemoryStack(transfer_status=486)) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.ended(call)
            assert served.said(call)[-2:] == ["The transfer failed.", "Goodbye."]
            assert served.records(call, tr.Result)[0].outcome == "busy"

    asyncio.run(scenario())


def test_a_transfer_outside_allowed_targets_fails_without_a_refer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with serving(tmp_path, DEMO, allowed_targets=("sip:*@192.0.2.1*",)) as served:
            call = served.call("100")
            await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
            served.far_end.press(call, "2")
            await served.ended(call)
            assert served.said(call)[-2:] == ["The transfer failed.", "Goodbye."]
            assert not served.wire.did("transfer")

    asyncio.run(scenario())
