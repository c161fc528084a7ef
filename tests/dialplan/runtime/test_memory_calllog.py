"""The call log's last line says who ended the call: `ended_by_flow` is true only when
the plan hung up, not when the caller did (the machine ends either way)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory
PLANS = """route 101 -> short
route 102 -> long
flow short {
  start:
    answer
    hangup
}
flow long {
  start:
    answer
    say "A long story."
    hangup
}
"""


def ended_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(record.getMessage().split(" ", 1)[1]) for record in caplog.records
            if record.name == "dialplan.calls" and record.getMessage().startswith("call_ended")]


def test_ended_by_flow_is_true_only_when_the_plan_hung_up(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dialplan.calls")

    async def scenario() -> None:
        async with serving(tmp_path, PLANS, MemoryStack(finish_prompts=False)) as served:
            by_plan = served.call("101")
            await served.ended(by_plan)
            by_caller = served.call("102")
            await served.until(lambda: bool(served.wire.did("play", by_caller)))
            served.far_end.hang_up(by_caller)
            await served.ended(by_caller)

    asyncio.run(scenario())
    lines = ended_lines(caplog)
    assert [line["ended_by_flow"] for line in lines] == [True, False]
    assert [line["last_state"] for line in lines] == ["short.start", "long.start"]
