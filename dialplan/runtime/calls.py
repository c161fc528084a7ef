"""The calls one service process runs: each admitted call becomes a CallRun on its own
task, listed here (by the engine's session id) until it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import engine

from .call import CallRun
from .context import ServiceContext
from .handler import Admitted
from .queues import QueueService

log = logging.getLogger("dialplan.serve")


class CallBoard:
    def __init__(self, context: ServiceContext, queues: QueueService) -> None:
        self.context, self.queues = context, queues
        self.runs: dict[str, CallRun] = {}

    def __len__(self) -> int:
        return len(self.runs)

    def versions(self) -> list[str]:
        """The plan version each call in progress runs."""
        return [run.version for run in self.runs.values()]

    async def take(self, admitted: asyncio.Queue[Admitted]) -> None:
        """Run every call the handler admits, until cancelled."""
        while True:
            self.start(await admitted.get())

    def start(self, admitted: Admitted) -> None:
        try:
            session = self.context.manager.get_session(admitted.call.session_id)
        except engine.SessionNotFound:
            log.info("call %s ended before its plan could run", admitted.call.session_id)
            return
        run = CallRun(self.context, self.queues, admitted.machine, session, admitted.info,
                      admitted.call.sip_call_id)
        self.runs[session.id] = run
        self.context.metrics.count("calls_total")
        started = time.monotonic()
        task = asyncio.create_task(run.run())

        def finished(done: asyncio.Task[None]) -> None:
            self.runs.pop(session.id, None)
            self._forget_legs(session.id)
            self.context.metrics.observe("call_duration_seconds", time.monotonic() - started)
            if not done.cancelled() and done.exception() is not None:
                self.context.metrics.count("calls_failed_total")
                log.error("call %s failed", session.id, exc_info=done.exception())

        task.add_done_callback(finished)

    def _forget_legs(self, call_id: str) -> None:
        """Drop the legs of a finished call, and of any that ended (queue agents' too)."""
        live = {session.id for session in self.context.manager.sessions()}
        legs = self.context.legs
        for leg, parent in list(legs.items()):
            if parent == call_id or leg not in live:
                del legs[leg]

    def rows(self) -> list[dict[str, object]]:
        """Every call leg this process holds, for `/calls`: the flows' calls, then the
        legs without a flow of their own (dials, REFERs a plan accepted) with the call
        they belong to. A leg holds one of the engine's few call slots: none may hide."""
        rows: list[dict[str, object]] = []
        for call_id, run in list(self.runs.items()):
            state = run.state
            rows.append({"call": call_id, "caller": run.info.caller, "called": run.info.called,
                         "version": run.version,
                         "state": f"{state.flow}.{state.state}" if state else "",
                         "phase": state.phase if state else ""})
        legs = self.context.legs
        for session in self.context.manager.sessions():
            if session.id in self.runs:
                continue
            parent = legs.get(session.id) or session.parent_id or ""
            kind = ("dial" if session.id in legs
                    else "transfer" if session.parent_id else session.direction)
            rows.append({"call": session.id, "leg": kind, "parent": parent,
                         "remote": session.remote_uri, "state": str(session.state)})
        return rows

    async def finish(self, deadline: Callable[[], float]) -> None:
        """Let the calls end on their own until `deadline()` (monotonic; it may come
        closer meanwhile), hang up the rest, and wait up to 5 s more for their runs."""
        while self.runs and time.monotonic() < deadline():
            await asyncio.sleep(0.1)
        for run in list(self.runs.values()):
            run.cut = True  # the service ends it, not its caller (webhooks tell which)
            with contextlib.suppress(Exception):  # it may end on its own meanwhile
                await run.session.terminate()
        while self.runs and time.monotonic() < deadline() + 5:
            await asyncio.sleep(0.05)
