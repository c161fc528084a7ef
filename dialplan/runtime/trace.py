"""What each call did, kept in memory so a live scenario can check what its caller heard.

Why: on the wire a caller perceives audio, not text. A scenario run over real SIP
(the live driver) therefore asks the service, by its call's SIP Call-ID, for the
call's trace (`GET /trace?sip_call_id=...` on the admin endpoint, operator token
only: the variables hold what the caller keyed in, PINs included): the prompts said
and played, requests and the hangup as the machine issued them, every state entered,
the transitions taken, the variables, how many digits arrived how many prompts
are still playing (so the driver knows when the service has settled), and how each
transfer, dial or queue turned out.

A TracedMachine is the plan's machine plus the simulator's tracing (observation only:
it emits exactly the commands the plain Machine would). Traces are kept only while
the admin endpoint is on (its only reader), for the last `KEEP` calls.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..machine import CallInfo, CallState
from ..machine import commands as cmd
from ..machine import events as ev
from ..machine.trace import Tracer, TracingMachine
from ..plan import Plan

_TAG = re.compile(r";x-dialplan-test=([A-Za-z0-9._-]{1,64})")
KEEP = 256  # calls whose trace is kept (the oldest go first)
MAX_RECORDS = 2000  # items kept per call: a plan that loops must not fill memory


def command_record(command: cmd.Command) -> dict[str, Any] | None:
    """A command as the caller would perceive it; None for bookkeeping (timers...)."""
    match command:
        case cmd.Answer():
            return {"kind": "answer"}
        case cmd.Ring(early_media=early):
            return {"kind": "ring", "early_media": early}
        case cmd.Say(text=text):
            return {"kind": "say", "text": text}
        case cmd.Play(sounds=sounds):
            return {"kind": "play", "sounds": list(sounds)}
        case cmd.Transfer(target=target):
            return {"kind": "transfer", "targets": [target]}
        case cmd.Dial(targets=targets):
            return {"kind": "dial", "targets": list(targets)}
        case cmd.Enqueue(queue=queue):
            return {"kind": "queue", "targets": [queue]}
        case cmd.StartRecording(name=name, beep=beep):
            return {"kind": "record", "name": name, "beep": beep}
        case cmd.Hangup(cause=cause, sip_status=status):
            return {"kind": "hangup", "cause": cause, "sip_status": status}
        case cmd.Log(level=level, message=message):
            return {"kind": "log", "level": level, "message": message}
    return None


RESULT_WORDS = {"answered": "answer", "failed": "fail"}  # the words of `outcome` steps


def result_record(event: ev.Event) -> dict[str, Any] | None:
    """How a transfer, dial, queue or bridge turned out, in a scenario's `outcome` words."""
    match event:
        case ev.TransferResult(ok=True):
            return {"kind": "result", "of": "transfer", "outcome": "answer"}
        case ev.TransferResult(status=status):
            word = "busy" if status in (486, 600) else \
                "noanswer" if status in (408, 480, 487) else "fail"
            return {"kind": "result", "of": "transfer", "outcome": word, "status": status}
        case ev.DialResult(outcome=outcome):
            return {"kind": "result", "of": "dial", "outcome": RESULT_WORDS.get(outcome, outcome)}
        case ev.QueueResult(outcome=outcome):
            return {"kind": "result", "of": "queue",
                    "outcome": RESULT_WORDS.get(outcome, outcome)}
        case ev.BridgeEnded():
            return {"kind": "result", "of": "bridge", "outcome": "end"}
    return None


@dataclass
class CallTrace:
    sip_call_id: str
    call: str  # the service's own call id
    version: str
    plan: Plan
    started: float = field(default_factory=time.monotonic)
    records: list[dict[str, Any]] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    ended: bool = False
    prompts_owed: int = 0  # Say/Play commands whose PromptFinished has not come yet
    digits: int = 0  # DTMF digits the call received

    def __post_init__(self) -> None:
        self.tracer = Tracer(self.plan)

    def note(self, origin: int | None, notes: list[Any], event: ev.Event | None,
             state: CallState, commands: list[cmd.Command]) -> None:
        self.tracer.replay(origin, notes)
        if isinstance(event, ev.Digit):
            self.digits += 1
        elif isinstance(event, ev.PromptFinished):
            self.prompts_owed = max(0, self.prompts_owed - 1)
        at = round(time.monotonic() - self.started, 3)
        result = result_record(event) if event is not None else None
        for record in [result, *map(command_record, commands)]:
            if record is not None and len(self.records) < MAX_RECORDS:
                self.records.append({"at": at, **record})
        self.prompts_owed += sum(1 for c in commands if isinstance(c, cmd.Say | cmd.Play))
        self.variables = dict(state.vars)
        self.ended = state.ended
        self.where = "ended" if state.ended else f"{state.flow}.{state.state}"

    def as_json(self) -> dict[str, Any]:
        return {"sip_call_id": self.sip_call_id, "call": self.call, "version": self.version,
                "records": self.records, "states": self.tracer.states,
                "taken": [[t.node, t.label] for t in self.tracer.taken],
                "variables": self.variables, "where": self.where, "ended": self.ended,
                "prompts_owed": self.prompts_owed, "digits": self.digits}


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
    """The traces of the last `KEEP` calls, by SIP Call-ID."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._traces: OrderedDict[str, CallTrace] = OrderedDict()

    def open(self, sip_call_id: str, call: str, plan: Plan, tag: str = "") -> CallTrace:
        """A new call's trace, found later by its SIP Call-ID or by the caller's `tag`."""
        trace = CallTrace(sip_call_id, call, plan.version, plan)
        self._traces[sip_call_id] = trace
        if tag:
            self._traces[f"tag:{tag}"] = trace
        while len(self._traces) > 2 * self.keep:
            self._traces.popitem(last=False)
        return trace

    def get(self, sip_call_id: str = "", tag: str = "") -> CallTrace | None:
        return self._traces.get(f"tag:{tag}" if tag else sip_call_id)


def tag_of(request_uri: str) -> str:
    """The `x-dialplan-test` parameter a live scenario's caller puts in the Request-URI.

    Why a tag besides the Call-ID: the engine does not tell an outgoing call its own
    SIP Call-ID, so a caller that wants its trace names the call itself."""
    match = _TAG.search(request_uri)
    return match.group(1) if match else ""


TRACES = TraceBook()  # one per process: SIP Call-IDs are unique, so services can share it
