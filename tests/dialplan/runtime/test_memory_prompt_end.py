"""A prompt whose end the engine never reports (in process, in_memory.py, on a stack
that never finishes prompts): it is taken as finished past its length, logged and
counted, and the digit the caller pressed during it reaches the collect after it
(issue 15: such a call stayed in its `play` for good)."""

from __future__ import annotations

import asyncio
import logging
import wave
from pathlib import Path

import pytest

from dialplan.machine import trace_records as tr
from dialplan.runtime.prompts import OVERDUE
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory

PLAN = """route 100 -> main
flow main { s: answer
  play "short"
  collect d digits 1 until "" timeout 15s attempts 1 { exhausted -> goto lost }
  if d == "1" { goto heard }
  hangup
  heard: hangup
  lost: hangup cause busy }
"""


def test_a_prompt_never_reported_finished_ends_and_the_typed_digit_is_used(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    prompts = tmp_path / "prompts"
    (prompts / "en").mkdir(parents=True)
    with wave.open(str(prompts / "en" / "short.wav"), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * 800)  # 0.1 s

    async def scenario() -> list[str]:
        stack = MemoryStack(finish_prompts=False)
        async with serving(tmp_path, PLAN, stack, prompt_dirs=(prompts,)) as served:
            call = served.call("100")
            await served.until(lambda: bool(served.wire.played(call)))
            served.far_end.press(call, "1")
            await served.ended(call, timeout=OVERDUE + 3)
            overdue = served.service.context.metrics.registry.get_sample_value(
                "dialplan_prompts_overdue_total")
            assert overdue == 1
            return [record.cause for record in served.records(call, tr.Hangup)]

    with caplog.at_level(logging.WARNING, logger="dialplan.runtime.prompts"):
        assert asyncio.run(scenario()) == ["normal"]  # `heard`, not `lost` (busy)
    assert "the end of prompt short.wav was not reported" in caplog.text
