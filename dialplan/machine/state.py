"""Per-call state: immutable between events; a mutable Cursor only while one event is handled."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from .commands import CancelTimer, Command, StartTimer

Value = str | int | float | bool


@dataclass(frozen=True)
class CallInfo:
    """Facts about the call known when it arrives."""

    caller: str
    called: str
    caller_name: str = ""
    call_id: str = ""


@dataclass(frozen=True)
class CallState:
    version: str  # the plan version this call is pinned to
    node: int | None = None  # the node the call waits at; None once ended
    phase: str = ""  # what that node waits for (prompt, input, dialing, ...)
    flow: str = ""
    state: str = ""
    vars: Mapping[str, Value] = field(default_factory=dict)
    stack: tuple[int | None, ...] = ()  # where each `return` continues
    attempts: int = 0  # failed attempts at the current menu, collect or listen
    digits: str = ""
    timers: tuple[tuple[str, int], ...] = ()  # live timers: (role, token)
    next_token: int = 1
    answered: bool = False
    ended: bool = False
    stopped_prompts: int = 0  # prompts stopped on barge-in whose PromptFinished is owed


@dataclass
class Cursor:
    """A CallState being advanced, plus the commands emitted so far."""

    version: str
    node: int | None
    phase: str
    flow: str
    state: str
    vars: dict[str, Value]
    stack: list[int | None]
    attempts: int
    digits: str
    timers: dict[str, int]
    next_token: int
    answered: bool
    ended: bool
    stopped_prompts: int
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
            stopped_prompts=self.stopped_prompts,
        )

    def emit(self, command: Command) -> None:
        self.commands.append(command)

    def start_timer(self, role: str, seconds: float) -> None:
        self.cancel_timer(role)
        token = self.next_token
        self.next_token += 1
        self.timers[role] = token
        self.emit(StartTimer(token, seconds))

    def cancel_timer(self, role: str) -> None:
        token = self.timers.pop(role, None)
        if token is not None:
            self.emit(CancelTimer(token))

    def timer_role(self, token: int) -> str | None:
        return next((role for role, live in self.timers.items() if live == token), None)
