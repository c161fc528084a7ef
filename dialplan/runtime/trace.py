"""What each call did, kept in memory so a live scenario can check what its caller heard.

Why: on the wire a caller perceives audio, not text. A scenario run over real SIP
(the live driver) therefore asks the service for the call's trace (`GET /trace?
sip_call_id=...` or `?tag=` on the admin endpoint, operator token only: the variables
hold what the caller keyed in, PINs included): the prompts said and played, requests
and the hangup as the machine issued them, every state entered, the transitions taken,
the variables, how many digits arrived, how many prompts are still playing (so the
driver knows when the service has settled), and how each transfer, dial or queue
turned out. The records' types (machine/trace_records.py) are shared with the reader.

A TracedMachine is the plan's machine plus the machine's tracer (observation only: it
emits exactly the commands the plain Machine would). A service keeps traces only while
its admin endpoint is on (their only reader), in one TraceBook, for the last `KEEP`
calls.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..machine import CallInfo, CallState, Phase
from ..machine import commands as cmd
from ..machine import events as ev
from ..machine import trace_records as tr
from ..machine.trace import Tracer, TracingMachine
from ..plan import Plan

KEEP = 256  # calls whose trace is kept (the oldest go first)
MAX_RECORDS = 2000  # items kept per call: a plan that loops must not fill memory


def command_record(command: cmd.Command, at: float) -> tr.TraceRecord | None:
    """A command as the caller would perceive it; None for bookkeeping (timers...)."""
    match command:
        case cmd.Answer():
            return tr.Answer(at)
        case cmd.Ring(early_media=early):
            return tr.Ring(early, at)
        case cmd.Say(text=text, language=language):
            return tr.Say(text, at, language=language)
        case cmd.Play(sounds=sounds):
            return tr.Play(tuple(sounds), at)
        case cmd.Transfer(target=target):
            return tr.Request("transfer", (target,), at)
        case cmd.Dial(targets=targets):
            return tr.Request("dial", tuple(targets), at)
        case cmd.Enqueue(queue=queue):
            return tr.Request("queue", (queue,), at)
        case cmd.StartRecording(name=name, beep=beep):
            return tr.Record(name, beep, at)
        case cmd.Hangup(cause=cause, sip_status=status):
            return tr.Hangup(cause, status, at)
        case cmd.Log(level=level, message=message):
            return tr.Log(level, message, at)
        case cmd.DigitDropped(key=key, reason=reason):
            return tr.Log("info", f"digit {key} dropped: {reason}", at)
        case cmd.Fetch(method=method, url=url):
            return tr.Fetch(method, url, at)
    return None


RESULT_WORDS = {"answered": "answer", "failed": "fail"}  # the words of `outcome` steps


def result_record(event: ev.Event, at: float) -> tr.Result | None:
    """How a transfer, dial, queue or bridge turned out, in a scenario's `outcome` words."""
    match event:
        case ev.TransferResult(ok=True):
            return tr.Result("transfer", "answer", at=at)
        case ev.TransferResult(status=status):
            word = "busy" if status in (486, 600) else \
                "noanswer" if status in (408, 480, 487) else "fail"
            return tr.Result("transfer", word, status, at)
        case ev.DialResult(outcome=outcome):
            return tr.Result("dial", RESULT_WORDS.get(outcome, outcome), at=at)
        case ev.QueueResult(outcome=outcome):
            return tr.Result("queue", RESULT_WORDS.get(outcome, outcome), at=at)
        case ev.BridgeEnded():
            return tr.Result("bridge", "end", at=at)
        case ev.FetchResult(outcome=outcome, status=status):
            return tr.Result("fetch", RESULT_WORDS.get(outcome, outcome), status, at)
    return None


@dataclass
class CallTrace:
    sip_call_id: str
    call: str  # the service's own call id
    plan: Plan
    request_uri: str = ""  # as the INVITE had it (a live caller's tag is in it)
    started: float = field(default_factory=time.monotonic)
    records: list[tr.TraceRecord] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    ended: bool = False
    prompts_owed: int = 0  # Say/Play commands whose PromptFinished has not come yet
    digits: int = 0  # DTMF digits the call received
    fetching: bool = False  # an HTTP lookup is on its way (the call waits for it)

    def __post_init__(self) -> None:
        self.tracer = Tracer(self.plan)

    @property
    def version(self) -> str:
        return self.plan.version

    def note(self, origin: int | None, notes: list[Any], event: ev.Event | None,
             state: CallState, commands: list[cmd.Command]) -> None:
        self.tracer.replay(origin, notes)
        if isinstance(event, ev.Digit):
            self.digits += 1
        elif isinstance(event, ev.PromptFinished):
            self.prompts_owed = max(0, self.prompts_owed - 1)
        at = round(time.monotonic() - self.started, 3)
        result = result_record(event, at) if event is not None else None
        for record in [result, *(command_record(c, at) for c in commands)]:
            if record is not None and len(self.records) < MAX_RECORDS:
                self.records.append(record)
        self.prompts_owed += sum(1 for c in commands if isinstance(c, cmd.Say | cmd.Play))
        self.variables = dict(state.vars)
        self.ended = state.ended
        self.fetching = state.phase == Phase.FETCHING
        self.where = "ended" if state.ended else f"{state.flow}.{state.state}"

    def as_json(self) -> dict[str, Any]:
        return {"sip_call_id": self.sip_call_id, "call": self.call, "version": self.version,
                "records": [tr.record_json(r) for r in self.records],
                "states": self.tracer.states,
                "taken": [[t.node, t.label] for t in self.tracer.taken],
                "variables": self.variables, "where": self.where, "ended": self.ended,
                "prompts_owed": self.prompts_owed, "digits": self.digits,
                "fetching": self.fetching}


class TracedMachine(TracingMachine):
    """One call's machine that writes what it does into that call's trace."""

    def __init__(self, plan: Plan, trace: CallTrace) -> None:
        super().__init__(plan)
        self.trace = trace

    def start(self, call: CallInfo, now: dt.datetime) -> tuple[CallState, list[cmd.Command]]:
        self.notes.clear()
        state, commands = super().start(call, now)
        self.trace.note(None, self.notes, None, state, commands)
        return state, commands

    def step(self, state: CallState, event: ev.Event, now: dt.datetime
             ) -> tuple[CallState, list[cmd.Command]]:
        self.notes.clear()
        new, commands = super().step(state, event, now)
        self.trace.note(state.node, self.notes, event, new, commands)
        return new, commands


class TraceBook:
    """The traces of a service's last `keep` calls, by SIP Call-ID; the handler writes
    them, the admin endpoint reads them."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._traces: OrderedDict[str, CallTrace] = OrderedDict()

    def open(self, sip_call_id: str, call: str, plan: Plan, request_uri: str = "") -> CallTrace:
        """A new call's trace, found later by its SIP Call-ID or its Request-URI's tag."""
        trace = CallTrace(sip_call_id, call, plan, request_uri)
        self._traces[sip_call_id] = trace
        self._traces.move_to_end(sip_call_id)
        while len(self._traces) > self.keep:
            self._traces.popitem(last=False)
        return trace

    def get(self, sip_call_id: str = "", tag: str = "") -> CallTrace | None:
        """By SIP Call-ID; or, given a `tag`, the latest call whose Request-URI has it."""
        if not tag:
            return self._traces.get(sip_call_id)
        return next((trace for trace in reversed(self._traces.values())
                     if tr.tag_of(trace.request_uri) == tag), None)
