"""A call as a transcript: feed caller events, assert the machine's commands.

    call = Call.of('route 100 -> main  flow main { start: answer; say "Hi"; hangup }')
    call.start(expect=[cmd.Answer(), cmd.Say("Hi")])
    call.prompt_done(expect=[cmd.Hangup()])

Timers are tracked like the engine would: `call.timeout()` fires the newest live timer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dialplan.build import build_text
from dialplan.machine import CallInfo, CallState, Machine
from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.plan import Plan

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def compile_ok(text: str) -> Plan:
    build = build_text(text, "test.dialplan")
    assert build.plan is not None, [f"{d.span}: {d.code} {d.message}" for d in build.diagnostics]
    return build.plan


class Call:
    def __init__(self, plan: Plan, caller: str = "5551234", called: str = "100",
                 now: dt.datetime = MONDAY_NOON) -> None:
        self.machine = Machine(plan)
        self.info = CallInfo(caller=caller, called=called)
        self.now = now
        self.state: CallState | None = None
        self.timers: dict[int, float] = {}  # live timer token -> seconds
        self.log: list[cmd.Command] = []

    @classmethod
    def of(cls, text: str, **kwargs: object) -> Call:
        return cls(compile_ok(text), **kwargs)  # type: ignore[arg-type]

    # -- driving ----------------------------------------------------------------
    def start(self, expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        self.state, commands = self.machine.start(self.info, self.now)
        return self._check(commands, expect)

    def send(self, event: ev.Event, expect: Sequence[cmd.Command] | None = None
             ) -> list[cmd.Command]:
        assert self.state is not None, "start the call first"
        self.state, commands = self.machine.step(self.state, event, self.now)
        return self._check(commands, expect)

    def press(self, keys: str, expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        commands: list[cmd.Command] = []
        for key in keys:
            commands += self.send(ev.Digit(key))
        return self._compare(commands, expect)

    def prompt_done(self, expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        return self.send(ev.PromptFinished(), expect)

    def timeout(self, expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        """Fire the most recently started live timer."""
        assert self.timers, "no timer is running"
        token = max(self.timers)
        del self.timers[token]  # a fired timer is gone; the machine sends no CancelTimer
        return self.send(ev.TimerFired(token), expect)

    def say(self, text: str, confidence: float = 1.0,
            expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        return self.send(ev.SpeechResult(text, confidence), expect)

    def hang_up(self, expect: Sequence[cmd.Command] | None = None) -> list[cmd.Command]:
        return self.send(ev.HungUp(), expect)

    # -- observing --------------------------------------------------------------
    @property
    def where(self) -> str:
        assert self.state is not None
        return f"{self.state.flow}.{self.state.state}"

    @property
    def ended(self) -> bool:
        return self.state is not None and self.state.ended

    def var(self, name: str) -> object:
        assert self.state is not None
        return self.state.vars.get(name)

    def _check(self, commands: list[cmd.Command], expect: Sequence[cmd.Command] | None
               ) -> list[cmd.Command]:
        for command in commands:
            if isinstance(command, cmd.StartTimer):
                self.timers[command.token] = command.seconds
            elif isinstance(command, cmd.CancelTimer):
                self.timers.pop(command.token, None)
        self.log += commands
        return self._compare(commands, expect)

    @staticmethod
    def _compare(commands: list[cmd.Command], expect: Sequence[cmd.Command] | None
                 ) -> list[cmd.Command]:
        if expect is not None:
            assert list(commands) == list(expect), f"\nexpected {expect}\nactual   {commands}"
        return commands


def without_timers(commands: Sequence[cmd.Command]) -> list[cmd.Command]:
    """The commands a caller would notice: timer bookkeeping left out."""
    return [c for c in commands if not isinstance(c, cmd.StartTimer | cmd.CancelTimer)]
