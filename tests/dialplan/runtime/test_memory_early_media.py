"""`progress` on the in-memory stack: 183 with SDP, prompts the caller hears before the
answer, digits taken during early media, and the ways out (answer, a hangup that gives
a final error, the caller's CANCEL). Over real SIP: test_early_media.py."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from dialplan.machine import trace_records as tr
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import Served, serving

pytestmark = pytest.mark.memory

PLAN = """route 100 -> connects
route 101 -> closed
route 102 -> asks
route 103 -> silent_before_answer
flow connects {
  start:
    progress
    say "Please hold while we connect you."
    answer
    say "Connected."
    hangup
}
flow closed {
  start:
    progress
    say "We are closed today."
    hangup
}
flow asks {
  start:
    progress
    menu "Press 1 to be answered." timeout 5s attempts 1 {
      1 -> goto yes
      exhausted -> hangup
    }
  yes:
    answer
    say "Answered."
    hangup
}
flow silent_before_answer {
  start:
    say "Nobody hears this."
    hangup
}
"""


def in_loop(test: Callable[[Path], Coroutine[Any, Any, None]]) -> Callable[[Path], None]:
    """Run an async test body in its own event loop, bounded to 10 s."""
    @functools.wraps(test)
    def run(tmp_path: Path) -> None:
        asyncio.run(asyncio.wait_for(test(tmp_path), 10))
    return run


def _statuses(served: Served, call: str) -> list[object]:
    """The statuses the service answered the call with (183 progress, 200 answer)."""
    return [a.detail[0] for a in served.wire.did("answer", call)]


@in_loop
async def test_progress_plays_the_prompt_in_early_media_then_answers(tmp_path: Path) -> None:
    async with serving(tmp_path, PLAN) as served:
        call = served.call("100")
        await served.ended(call)
        assert _statuses(served, call) == [183, 200]
        assert served.said(call) == ["Please hold while we connect you.", "Connected."]
        leg = served.wire.legs[call]
        assert len(leg.heard) == 2  # both prompts had a media path: 183's, then 200's
        verbs = [a.verb for a in served.wire.actions if a.session_id == call]
        assert verbs.index("play") > verbs.index("answer")  # 183 went before the prompt
        assert [r.early_media for r in served.records(call, tr.Ring)] == [True]


@in_loop
async def test_progress_then_hangup_gives_a_final_error_never_a_200(tmp_path: Path) -> None:
    async with serving(tmp_path, PLAN) as served:
        call = served.call("101")
        await served.ended(call)
        assert _statuses(served, call) == [183]
        assert served.response(call) == 480
        assert served.wire.legs[call].heard != []  # the announcement was heard first


@in_loop
async def test_a_digit_pressed_during_early_media_takes_its_branch(tmp_path: Path) -> None:
    async with serving(tmp_path, PLAN) as served:
        call = served.call("102")
        await served.until(lambda: served.quiet(call) and served.said(call) != [])
        assert served.state(call) == "early"
        served.far_end.press(call, "1")
        await served.ended(call)
        assert _statuses(served, call) == [183, 200]
        assert served.said(call)[-1] == "Answered."


@in_loop
async def test_caller_cancel_during_early_media_ends_the_run_and_frees_the_prompt(
        tmp_path: Path) -> None:
    async with serving(tmp_path, PLAN, MemoryStack(finish_prompts=False)) as served:
        call = served.call("100")
        await served.until(lambda: served.wire.legs[call].prompts != {})  # it plays
        assert served.state(call) == "early"
        served.far_end.hang_up(call)
        await served.all_over()
        leg = served.wire.legs[call]
        assert (leg.ended_by, leg.prompts, leg.response) == ("far end", {}, None)
        assert (await served.service.context.manager.live_objects())["players"] == 0


@in_loop
async def test_a_prompt_without_progress_or_answer_is_still_refused(tmp_path: Path) -> None:
    async with serving(tmp_path, PLAN) as served:
        call = served.call("103")
        await served.ended(call)
        assert served.response(call) == 480
        assert served.wire.legs[call].heard == [] and _statuses(served, call) == []
