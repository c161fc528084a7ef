"""The executor in process: a DialplanService on the engine's in-memory stack.

Why: over SIP (harness.py + SIPp) a test of the executor takes a `dialplan serve`
subprocess and seconds per call; here the same service runs in the test's own event
loop on engine.testing's MemoryStack, the test plays the caller and every dialled
party (`far_end`), and reads what the service did from the wire (`wire.did(...)`)
and from the call's trace (the typed records the admin endpoint serves). The stack
is strict: an illegal session transition fails the test.

    async with serving(tmp_path, PLAN) as served:
        call = served.call("100")
        await served.until(lambda: served.said(call) == ["Welcome."])
        served.far_end.press(call, "1")
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import engine
from dialplan.config import ServeConfig
from dialplan.machine import trace_records as tr
from dialplan.runtime.service import DialplanService
from dialplan.runtime.trace import CallTrace, TraceBook
from engine.testing import FarEnd, MemoryStack, Wire
from tests.support.harness import ROOT


class _AnyAt(float):
    """Equal to any `at`: records are compared by what they say, not when."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float | int)

    def __hash__(self) -> int:
        return 0


ANY_AT = _AnyAt()
PROMPT_CACHE = Path(tempfile.gettempdir()) / "dialplan-test-prompts"  # a prompt renders once
CALLER = "sip:5551234@127.0.0.1"


@dataclass
class Served:
    service: DialplanService
    stack: MemoryStack
    traces: TraceBook
    folder: Path

    @property
    def far_end(self) -> FarEnd:
        return self.stack.far_end

    @property
    def wire(self) -> Wire:
        return self.stack.wire

    def call(self, number: str = "100", caller: str = CALLER, request_uri: str = "") -> str:
        """An INVITE to `number`; returns the call's session id."""
        return self.far_end.offer_call(caller, f"sip:{number}@127.0.0.1", request_uri)

    def trace(self, call: str) -> CallTrace:
        found = self.traces.get(f"{call}@memory")
        assert found is not None, f"no trace of {call}"
        return found

    def records(self, call: str, kind: type[Any] = object) -> list[Any]:
        """The call's trace records of one kind (none before its plan has started)."""
        found = self.traces.get(f"{call}@memory")
        return [r for r in found.records if isinstance(r, kind)] if found else []

    def said(self, call: str) -> list[str]:
        """What the service said on the call, in order."""
        return [r.text for r in self.records(call, tr.Say)]

    def quiet(self, call: str) -> bool:
        """Every prompt the call was given has finished (so a key pressed now counts)."""
        found = self.traces.get(f"{call}@memory")
        return found is not None and found.prompts_owed == 0

    def where(self, call: str) -> str:
        """`flow.state` the call is in, or `ended`."""
        found = self.traces.get(f"{call}@memory")
        return found.where if found is not None else ""

    def state(self, call: str) -> str:
        """The caller's side: ringing, connected or ended."""
        return self.wire.legs[call].state

    def response(self, call: str) -> int | None:
        """The final status the service gave the call (200 when answered)."""
        return self.wire.legs[call].response

    async def until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        await self.wire.until(condition, timeout)

    def dialled(self) -> list[str]:
        """Session ids of the legs the service placed (dials, queue agents), in order."""
        return [action.session_id for action in self.wire.did("dial")]

    async def ended(self, call: str, timeout: float = 5.0) -> None:
        """Wait until the call is over on the wire and its run has finished."""
        await self.until(lambda: self.state(call) == "ended"
                         and call not in self.service.calls.runs, timeout)

    async def all_over(self) -> None:
        """Wait until no call runs and the engine holds no session, every leg ended."""
        manager = self.service.context.manager
        await self.until(lambda: not self.service.calls.runs and not manager.sessions()
                         and all(leg.state == "ended" for leg in self.wire.legs.values()))


def write_plan(folder: Path, text: str, name: str = "main.dialplan") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


@contextlib.asynccontextmanager
async def serving(tmp_path: Path, plan: str, stack: MemoryStack | None = None,
                  **settings: Any) -> AsyncIterator[Served]:
    """The service running `plan` (main.dialplan) on an in-memory stack; drained and
    stopped at the end (strict: an illegal session transition raises there)."""
    folder = tmp_path / "plans"
    write_plan(folder, plan)
    settings.setdefault("prompt_dirs", (ROOT / "prompts",))
    config = ServeConfig(prompt_cache=PROMPT_CACHE, recordings=tmp_path / "recordings",
                         **settings)
    stack = stack or MemoryStack()
    traces = TraceBook()
    builder = engine.SessionManagerBuilder().with_stack(stack).strict()
    service = DialplanService(folder, config, builder, traces=traces)
    await service.start()
    try:
        yield Served(service, stack, traces, folder)
    finally:
        if not service.draining:  # a test may have drained it itself
            await service.drain(0.01)
