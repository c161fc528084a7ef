"""Per-call state: immutable between events; a mutable Cursor only while one event is handled."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .commands import CancelTimer, Command, DigitDropped, StartTimer

Value = str | int | float | bool


class Timer(StrEnum):
    """What a live timer is for: each role has at most one timer running."""

    INPUT = "input"  # the first digit or speech, then each next digit
    OVERALL = "overall"  # a whole collect
    TRANSFER = "transfer"  # a transfer's final answer
    RECORD = "record"  # a recording's time limit
    WAIT = "wait"  # a `wait`
    FETCH = "fetch"  # a fetch's timeout; its token is also the request's id


class Phase(StrEnum):
    """What a call waiting at a node waits for (a string enum: `/calls` shows it as text)."""

    STARTING = ""  # not yet at a node that waits
    PROMPT = "prompt"  # a play or say (or an input's prompt) to finish
    INPUT = "input"  # digits or speech for a menu, collect or listen
    TRANSFER = "transfer"  # the far end's final answer to a transfer
    DIALING = "dialing"  # a dial's outcome
    QUEUED = "queued"  # a queue's outcome
    BRIDGED = "bridged"  # the end of a dial's or queue's bridge
    RECORDING = "recording"  # a finish key or the time limit
    FINISHING = "finishing"  # the recording, once stopped
    WAITING = "waiting"  # a `wait` to pass
    FETCHING = "fetching"  # an HTTP lookup's result
    ENDED = "ended"  # nothing: the call is over


@dataclass(frozen=True)
class CallInfo:
    """Facts about the call known when it arrives."""

    caller: str
    called: str
    caller_name: str = ""
    call_id: str = ""
    extension: str = ""  # the caller's own extension, as the registrar authenticated it


@dataclass(frozen=True)
class CallState:
    version: str  # the plan version this call is pinned to
    node: int | None = None  # the node the call waits at; None once ended
    phase: Phase = Phase.STARTING  # what that node waits for
    flow: str = ""
    state: str = ""
    vars: Mapping[str, Value] = field(default_factory=dict)
    stack: tuple[int | None, ...] = ()  # where each `return` continues
    attempts: int = 0  # failed attempts at the current menu, collect or listen
    digits: str = ""
    timers: tuple[tuple[Timer, int], ...] = ()  # live timers: (role, token)
    next_token: int = 1
    answered: bool = False
    ended: bool = False
    stopped_prompts: int = 0  # prompts stopped on barge-in whose PromptFinished is owed
    typeahead: str = ""  # digits pressed during a play or say, for the next menu or collect


@dataclass
class Cursor:
    """A CallState being advanced, plus the commands emitted so far."""

    version: str
    node: int | None
    phase: Phase
    flow: str
    state: str
    vars: dict[str, Value]
    stack: list[int | None]
    attempts: int
    digits: str
    timers: dict[Timer, int]
    next_token: int
    answered: bool
    ended: bool
    stopped_prompts: int
    typeahead: str
    commands: list[Command] = field(default_factory=list)

    @classmethod
    def from_state(cls, state: CallState) -> Cursor:
        values = {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
        values.update(vars=dict(state.vars), stack=list(state.stack), timers=dict(state.timers))
        return cls(**values)

    def freeze(self) -> CallState:
        return CallState(
            version=self.version, node=self.node, phase=self.phase, flow=self.flow,
            state=self.state, vars=dict(self.vars), stack=tuple(self.stack),
            attempts=self.attempts, digits=self.digits, timers=tuple(self.timers.items()),
            next_token=self.next_token, answered=self.answered, ended=self.ended,
            stopped_prompts=self.stopped_prompts, typeahead=self.typeahead,
        )

    def emit(self, command: Command) -> None:
        self.commands.append(command)

    def drop_digits(self, keys: str, reason: str) -> None:
        for key in keys:
            self.emit(DigitDropped(key, reason))

    def start_timer(self, role: Timer, seconds: float) -> None:
        self.cancel_timer(role)
        token = self.next_token
        self.next_token += 1
        self.timers[role] = token
        self.emit(StartTimer(token, seconds))

    def cancel_timer(self, role: Timer) -> None:
        token = self.timers.pop(role, None)
        if token is not None:
            self.emit(CancelTimer(token))

    def timer_role(self, token: int) -> Timer | None:
        return next((role for role, live in self.timers.items() if live == token), None)
