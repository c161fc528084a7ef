"""A scenario file as data: frozen records, each step with its position and source text
so a failure can quote the line it comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..lookups.mocks import HttpMock


@dataclass(frozen=True)
class Pos:
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Step:
    pos: Pos
    source: str  # the step as written, on one line


# -- what the caller or the far end does ---------------------------------------------
@dataclass(frozen=True)
class Press(Step):
    keys: str


@dataclass(frozen=True)
class Say(Step):
    words: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Wait(Step):
    seconds: float


@dataclass(frozen=True)
class HangUp(Step):
    pass


@dataclass(frozen=True)
class Outcome(Step):
    name: str  # answer | busy | noanswer | fail | end


# -- what should happen -------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectHear(Step):
    text: str
    mode: str = "exactly"  # exactly | containing | matching (a regular expression)
    language: str | None = None  # `in "fr"`: the language it must be spoken in


@dataclass(frozen=True)
class ExpectPlay(Step):
    sound: str


@dataclass(frozen=True)
class ExpectState(Step):
    name: str  # flow.state
    name_pos: Pos | None = field(default=None, compare=False)  # where the name is written


@dataclass(frozen=True)
class ExpectRequest(Step):
    kind: str  # transfer | dial | queue
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ExpectVar(Step):
    name: str
    value: str | int | float | bool


@dataclass(frozen=True)
class ExpectFetch(Step):
    url: str  # the URL the plan fetched, as requested (caller values quoted)


@dataclass(frozen=True)
class ExpectHangup(Step):
    cause: str | None = None  # a cause name or a SIP status; None: any


@dataclass(frozen=True)
class ExpectAnswered(Step):
    pass


@dataclass(frozen=True)
class ExpectSilence(Step):
    pass


@dataclass(frozen=True)
class ExpectWebhook(Step):
    event: str  # started | answered | transferred | queued | ended
    fields: tuple[tuple[str, str | int | float | bool], ...] = ()  # (dotted path, value)


ACTIONS = (Press, Say, Wait, HangUp, Outcome)


# -- the file ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CallLine:
    pos: Pos
    number: str
    caller: str
    at: dt.datetime | None
    prompts: str = "instant"  # how long prompts play: instant, spoken or `2s`
    extension: bool = False  # `from extension 201`: the caller is that authenticated phone


@dataclass(frozen=True)
class Scenario:
    pos: Pos
    name: str
    call: CallLine
    steps: tuple[Step, ...]
    http: tuple[HttpMock, ...] = ()  # responses to the plan's fetches


@dataclass(frozen=True)
class ScenarioFile:
    path: str
    plan_path: str  # as resolved: relative to the working directory when inside it
    scenarios: tuple[Scenario, ...]
