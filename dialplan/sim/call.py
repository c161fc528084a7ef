"""A virtual call: the machine, its state, a virtual clock, and a caller's view.

Every operation (press, say, wait, choose an outcome, hang up) becomes engine events;
each event's commands are performed the way an engine would, only virtually: a
prompt "plays" for `prompt_time(heard)` seconds of virtual time (none by default)
and then reports PromptFinished; timers go on the clock and fire during `wait`; a
dial rings until its timeout and a queue holds until its max_wait, unless the user
picks an outcome first. What the caller would notice is returned and kept in
`transcript`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Sequence

from ..lookups.mocks import HttpMock
from ..machine import CallInfo, CallState, Phase
from ..machine import commands as cmd
from ..machine import events as ev
from ..machine.trace import Tracer, TracingMachine
from ..plan import Plan
from ..webhooks.lifecycle import CallIdentity, Lifecycle, Payload
from . import perceived as seen
from .clock import VirtualClock
from .outcomes import choices, outcome_event
from .perform import DEADLINE, Performer
from .prompts import PromptTime, instant

DEFAULT_START = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # a Monday, noon
MAX_EVENTS = 1000  # events without the caller doing anything: a plan that never waits
KEYS = frozenset("0123456789*#")
SITUATIONS = {Phase.TRANSFER: "transfer", Phase.DIALING: "dial", Phase.QUEUED: "queue",
              Phase.BRIDGED: "bridged"}


class SimulationError(Exception):
    """An operation that does not fit the call as it stands (outcome with nothing
    pending, a key that is not DTMF, a plan that loops without waiting)."""


class VirtualCall:
    unobservable: frozenset[str] = frozenset()  # it sees everything

    def __init__(self, plan: Plan, number: str = "100", caller: str = "5551234",
                 at: dt.datetime = DEFAULT_START,
                 prompt_time: PromptTime = instant, http: Sequence[HttpMock] = (),
                 extension: str = "") -> None:
        self.plan = plan
        self.machine = TracingMachine(plan)
        self.tracer = Tracer(plan)
        self.clock = VirtualClock(at)
        self.info = CallInfo(caller=caller, called=number, call_id="sim-1", extension=extension)
        self.performer = Performer(self.clock, prompt_time, http)
        self.transcript: list[seen.Perceived] = []
        self.state = CallState(plan.version)
        numbers = itertools.count(1)
        self.hooks = Lifecycle(CallIdentity("sim-1", "sim:sim-1", "", caller, number,
                                            plan.version), make_id=lambda: f"sim-{next(numbers)}")
        self.webhooks: list[Payload] = []  # what the service would post, in order

    # -- the caller's side ---------------------------------------------------------
    def start(self) -> list[seen.Perceived]:
        self.machine.notes.clear()
        self.state, commands = self.machine.start(self.info, self.clock.now)
        self.tracer.replay(None, self.machine.notes)
        self._hook(None, commands)
        events: deque[ev.Event] = deque()
        return self._drain(events, self.performer.perform(commands, events))

    def press(self, keys: str) -> list[seen.Perceived]:
        bad = sorted(set(keys) - KEYS)
        if bad or not keys:
            raise SimulationError(f"not DTMF keys: {keys!r} (use 0-9, * and #)")
        self._require_live()
        return [item for key in keys for item in self._press(key)]

    def _press(self, key: str) -> list[seen.Perceived]:
        """One key; a key the plan takes no notice of (a prompt that cannot be
        interrupted is playing, or nothing waits for keys) is noted as ignored."""
        before = self.state
        out = self._send(ev.Digit(key))
        if out or self.state != before:
            if not out and self.state is not None and before is not None \
                    and len(self.state.typeahead) > len(before.typeahead):
                out = [seen.Note("info", f"key {key} kept for the next menu or collect "
                                         "(typed ahead during a prompt)")]
                self.transcript.extend(out)
            return out
        why = ("the prompt playing cannot be interrupted (barge_in false)"
               if self.performer.playing is not None else "nothing is waiting for keys")
        note = seen.Note("info", f"key {key} ignored: {why}")
        self.transcript.append(note)
        return [note]

    def say(self, words: str, confidence: float = 1.0) -> list[seen.Perceived]:
        """Speech reaches the plan only while it listens (a menu with words, a listen)."""
        self._require_live()
        if not self.performer.listening:
            note = seen.Note("info", f"nobody is listening: {words!r} is not heard")
            self.transcript.append(note)
            return [note]
        return self._send(ev.SpeechStarted()) + self._send(ev.SpeechResult(words, confidence))

    def wait(self, seconds: float) -> list[seen.Perceived]:
        """Let `seconds` of virtual time pass, handling whatever falls due, in order."""
        until = self.clock.elapsed + seconds
        out: list[seen.Perceived] = []
        while (event := self.performer.due_event(until)) is not None:
            out += self._send(event)
        self.clock.advance_to(until)
        return out

    def choose(self, outcome: str) -> list[seen.Perceived]:
        self._require_live()
        situation = self.situation
        if situation is None:
            raise SimulationError("nothing is pending: no transfer, dial or queue waits")
        event = outcome_event(situation, outcome)
        if event is None:
            raise SimulationError(f"`{outcome}` is no outcome for a {situation}; "
                                  f"choose one of: {', '.join(choices(situation))}")
        self.performer.resolve()
        return self._send(event)

    def hang_up(self) -> list[seen.Perceived]:
        self._require_live()
        out = self._send(ev.HungUp())
        ended = seen.Ended("normal", 200, by_caller=True)
        self.performer.finish()
        self.transcript.append(ended)
        return [*out, ended]

    def close(self) -> None:
        """Nothing to release: the call lives in memory."""

    # -- what can be observed -------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.state.ended

    @property
    def where(self) -> str:
        """`flow.state`, or `ended`."""
        return "ended" if self.state.ended else f"{self.state.flow}.{self.state.state}"

    @property
    def states_reached(self) -> list[str]:
        """Every state the call entered, in order (`flow.state`)."""
        return self.tracer.states

    @property
    def variables(self) -> dict[str, object]:
        return dict(self.state.vars)

    @property
    def pending(self) -> seen.Requested | None:
        return self.performer.pending if self.situation else None

    @property
    def deadline(self) -> float | None:
        """Seconds until a pending dial rings out or a queue's max_wait ends, if any."""
        due = [seconds for key, seconds in self.clock.pending() if key == DEADLINE]
        return due[0] if due and self.situation in ("dial", "queue") else None

    @property
    def situation(self) -> str | None:
        """transfer, dial, queue or bridged while an outcome is awaited; else None."""
        return SITUATIONS.get(self.state.phase)

    # -- plumbing ---------------------------------------------------------------------
    def _require_live(self) -> None:
        if self.state.ended:
            raise SimulationError("the call has ended")

    def _hook(self, event: ev.Event | None, commands: list[cmd.Command]) -> None:
        """The webhooks this step would post; the summary as soon as the call ends."""
        now = self.clock.now
        self.webhooks += (self.hooks.started(self.state, commands, now) if event is None
                          else self.hooks.step(event, self.state, commands, now))
        if self.state.ended:
            self.webhooks += self.hooks.ended(now)

    def _send(self, event: ev.Event) -> list[seen.Perceived]:
        return self._drain(deque([event]), [])

    def _drain(self, events: deque[ev.Event], out: list[seen.Perceived]
               ) -> list[seen.Perceived]:
        """Step the machine with each event, and with whatever its commands cause at once
        (an instant prompt ending, a recording being handed over)."""
        for _ in range(MAX_EVENTS):
            if not events:
                self.transcript += out
                return out
            origin = self.state.node
            self.machine.notes.clear()
            event = events.popleft()
            self.state, commands = self.machine.step(self.state, event, self.clock.now)
            self.tracer.replay(origin, self.machine.notes)
            self._hook(event, commands)
            out += self.performer.perform(commands, events)
        raise SimulationError(f"the plan ran {MAX_EVENTS} events without waiting for the "
                              f"caller: a loop in `{self.where}`?")
