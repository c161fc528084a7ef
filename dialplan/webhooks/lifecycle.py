"""One call's lifecycle events, read off the same stream the call log sees: the machine's
start and each step (event in, state and commands out), then the call's end.

Pure and shared: the service feeds it real steps and real UTC times and posts what it
returns; the simulator feeds it virtual ones and keeps what it returns for scenarios to
assert. Events (each a JSON-ready dict):

- `started`: the call reached a plan.
- `answered`: the flow answered it.
- `transferred`: a transfer's far end took the call (`target`, SIP `status`).
- `queued`: the call joined a queue (`queue`).
- `ended`: the summary: times, `outcome`, `hung_up_by`, the flow's `cause` and
  `sip_status` if it hung up, the `path` of states the call waited in, and what became
  of a transfer or queue.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ..machine import CallState
from ..machine import commands as cmd
from ..machine import events as ev
from .settings import EVENTS

Payload = dict[str, Any]


@dataclass(frozen=True)
class CallIdentity:
    """What names the call in every event: `id` is unique (random), `session` finds the
    call in the service's log (`node:pid:session id`)."""

    id: str
    session: str
    sip_call_id: str
    caller: str
    called: str
    plan_version: str


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return uuid.uuid4().hex


class Lifecycle:
    def __init__(self, call: CallIdentity, wanted: frozenset[str] = frozenset(EVENTS),
                 make_id: Callable[[], str] = new_id) -> None:
        self.call, self.wanted, self.make_id = call, wanted, make_id
        self._call: dict[str, str] | None = None  # asdict(call), made once when needed
        self.sequence = 0
        self.started_at: dt.datetime | None = None
        self.answered_at: dt.datetime | None = None
        self.path: list[str] = []
        self.hangup: cmd.Hangup | None = None  # the flow's, if it hung up
        self.caller_left = False
        self.transfer: str | None = None  # the target asked for last
        self.transferred = False
        self.queue: dict[str, str] = {}  # name, and outcome once known
        self.over = False

    def started(self, state: CallState, commands: list[cmd.Command], at: dt.datetime
                ) -> list[Payload]:
        self.started_at = at
        return [*self._event("started", at), *self.step(None, state, commands, at)]

    def step(self, event: ev.Event | None, state: CallState, commands: list[cmd.Command],
             at: dt.datetime) -> list[Payload]:
        """The events one machine step causes, in order."""
        out = self._heard(event, at)
        for command in commands:
            out += self._did(command, at)
        where = f"{state.flow}.{state.state}"
        if state.flow and (not self.path or self.path[-1] != where):
            self.path.append(where)
        return out

    def ended(self, at: dt.datetime, by_flow: bool | None = None, cut: bool = False
              ) -> list[Payload]:
        """The summary, once. `by_flow`: whether the flow's hangup reached a caller
        still there (the service knows; None: judge from the steps seen); `cut`: the
        service hung the call up (a drain), whatever the steps show."""
        if self.over:
            return []
        self.over = True
        began = self.started_at or at
        who = "service" if cut and not by_flow else self._hung_up_by(by_flow)
        return self._event("ended", at, started_at=stamp(began),
                           answered_at=stamp(self.answered_at) if self.answered_at else None,
                           ended_at=stamp(at),
                           duration=round((at - began).total_seconds(), 3),
                           outcome=self._outcome(who), hung_up_by=who,
                           cause=self.hangup.cause if self.hangup else None,
                           sip_status=self.hangup.sip_status if self.hangup else None,
                           path=list(self.path), last_state=self.path[-1] if self.path else "",
                           transferred_to=self.transfer if self.transferred else None,
                           queue=dict(self.queue) or None)

    # -- what one step tells ----------------------------------------------------------
    def _heard(self, event: ev.Event | None, at: dt.datetime) -> list[Payload]:
        match event:
            case ev.HungUp():
                self.caller_left = True
            case ev.TransferResult(ok=True, status=status) if self.transfer:
                self.transferred = True
                return self._event("transferred", at, target=self.transfer, status=status)
            case ev.QueueResult(outcome=outcome) if self.queue:
                self.queue["outcome"] = outcome
        return []

    def _did(self, command: cmd.Command, at: dt.datetime) -> list[Payload]:
        match command:
            case cmd.Answer() if self.answered_at is None:
                self.answered_at = at
                return self._event("answered", at)
            case cmd.Transfer(target=target):
                self.transfer = target
            case cmd.Enqueue(queue=queue):
                self.queue = {"name": queue}
                return self._event("queued", at, queue=queue)
            case cmd.Hangup() if not self.caller_left:
                self.hangup = command
        return []

    def _hung_up_by(self, by_flow: bool | None) -> str:
        flow = self.hangup is not None if by_flow is None else by_flow
        if flow:
            return "flow"
        return "caller" if self.caller_left or self.hangup is not None else "service"

    def _outcome(self, who: str) -> str:
        if self.transferred:
            return "transferred"
        if who == "flow":
            return "hangup" if self.answered_at else "rejected"
        return "caller_hangup" if who == "caller" else "dropped"

    def _event(self, name: str, at: dt.datetime, **fields: Any) -> list[Payload]:
        if name not in self.wanted:
            return []
        if self._call is None:
            self._call = asdict(self.call)
        self.sequence += 1  # of the events sent: a gap is an event lost on the way
        return [{"id": self.make_id(), "event": name, "time": stamp(at),
                 "sequence": self.sequence, "call": dict(self._call), **fields}]
