"""Drivers: what places a scripted call, so scenarios need not know how.

A scenario talks to a Session (press, say, wait, choose, hang up; then look at what
the caller perceived). The VirtualDriver runs the plan in-process on a virtual
clock and can also show internals (state, variables, transitions taken). A driver
that places real SIP calls through `dialplan serve` implements the same two
protocols; what it cannot see raises Unobservable, which the runner reports as a
skipped expectation rather than a failure. What it cannot make happen (an outcome
the far end decides otherwise, speech) raises Unfollowable: the rest of that
scenario is skipped, with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..lookups.mocks import HttpMock
from ..machine.trace import Transition
from ..plan import Plan
from . import perceived as seen
from .call import DEFAULT_START, VirtualCall
from .prompts import prompt_timing


class Unobservable(Exception):
    """This driver cannot see that (a live call's state or variables)."""


class Unfollowable(Unobservable):
    """This driver cannot make the call go the way the step says (the far end gave
    another outcome, speech cannot be sent): the scenario cannot go on from here."""


@dataclass(frozen=True)
class CallSpec:
    number: str
    caller: str
    at: dt.datetime | None = None  # None: the driver's default instant
    prompts: str = "instant"  # how long prompts play: instant, spoken, or `2s`
    http: tuple[HttpMock, ...] = ()  # responses to the plan's fetches
    extension: str = ""  # the caller's extension, as the registrar authenticated it


class Session(Protocol):
    transcript: list[seen.Perceived]
    unobservable: frozenset[str]  # expectation kinds (`hear`, `state`...) it cannot see

    def press(self, keys: str) -> list[seen.Perceived]: ...
    def say(self, words: str, confidence: float = 1.0) -> list[seen.Perceived]: ...
    def wait(self, seconds: float) -> list[seen.Perceived]: ...
    def choose(self, outcome: str) -> list[seen.Perceived]: ...
    def hang_up(self) -> list[seen.Perceived]: ...
    def close(self) -> None:
        """The scenario is over: release whatever the call holds (a live call ends)."""
        ...

    @property
    def ended(self) -> bool: ...
    @property
    def where(self) -> str: ...
    @property
    def states_reached(self) -> Sequence[str]: ...
    @property
    def variables(self) -> Mapping[str, object]: ...
    @property
    def pending(self) -> seen.Requested | None: ...
    @property
    def webhooks(self) -> Sequence[Mapping[str, Any]]:
        """The webhooks the call posted so far (dialplan/webhooks/lifecycle.py)."""
        ...


class Driver(Protocol):
    name: str

    def place(self, spec: CallSpec) -> Session: ...
    def taken(self) -> Sequence[Transition]:
        """Transitions taken by the calls placed so far, as far as this driver can tell."""
        ...


class VirtualDriver:
    """Calls run by the machine in this process, on a virtual clock."""

    name = "virtual"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.calls: list[VirtualCall] = []

    def place(self, spec: CallSpec) -> VirtualCall:
        call = VirtualCall(self.plan, spec.number, spec.caller, spec.at or DEFAULT_START,
                           prompt_timing(spec.prompts), spec.http, spec.extension)
        self.calls.append(call)
        call.start()
        return call

    def taken(self) -> list[Transition]:
        return [transition for call in self.calls for transition in call.tracer.taken]
