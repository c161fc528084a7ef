"""The dialplan AST: frozen dataclasses that carry their source span.

Statements keep options and branches in the general `name value` form the grammar
accepts; the compiler checks them against per-statement tables, which lets it say
"unknown option `timout`, did you mean `timeout`?" instead of a bare syntax error.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source import Span
from .exprs import Duration, Expr, Literal, Range, Var

Value = Literal | Duration | Var | Range


@dataclass(frozen=True)
class Name:
    text: str
    span: Span


@dataclass(frozen=True)
class Option:
    name: Name
    values: tuple[Value, ...]
    span: Span


@dataclass(frozen=True)
class Target:
    """`state`, `flow` or `flow.state`: resolved by the compiler."""

    first: Name
    second: Name | None
    span: Span

    def __str__(self) -> str:
        return self.first.text if self.second is None else f"{self.first.text}.{self.second.text}"


@dataclass(frozen=True)
class BranchKey:
    """kind is `digits` (DTMF), `word` (spoken) or `event` (noinput, busy, ...)."""

    kind: str
    text: str
    span: Span


@dataclass(frozen=True)
class Branch:
    keys: tuple[BranchKey, ...]
    body: tuple[Statement, ...]
    span: Span


@dataclass(frozen=True)
class Action:
    """Any statement that is a verb with arguments, options and optional branches.

    `verb` is the keyword (answer, play, say, collect, menu, listen, transfer, dial,
    queue, record, hangup, wait, goto, run, return, retry, ringing, progress).
    """

    verb: str
    args: tuple[Literal | Name | Target | Value, ...]
    options: tuple[Option, ...]
    branches: tuple[Branch, ...] | None
    span: Span


@dataclass(frozen=True)
class SetVar:
    """`set name = expr`, with an optional `{ failed -> ... }` taken when it cannot be computed."""

    name: Name
    expr: Expr
    span: Span
    branches: tuple[Branch, ...] | None = None


@dataclass(frozen=True)
class If:
    arms: tuple[tuple[Expr, tuple[Statement, ...]], ...]
    orelse: tuple[Statement, ...] | None
    span: Span


Statement = Action | SetVar | If


@dataclass(frozen=True)
class State:
    name: Name
    body: tuple[Statement, ...]
    span: Span


@dataclass(frozen=True)
class Handlers:
    """`handlers { noinput -> ... }`: branches inherited by every menu, collect and listen
    of the plan (a top-level item) or of one flow (first in its body)."""

    branches: tuple[Branch, ...]
    span: Span


@dataclass(frozen=True)
class Flow:
    name: Name
    states: tuple[State, ...]
    span: Span
    options: tuple[Option, ...] = ()  # settings for the whole flow (voice, rate, language)
    handlers: Handlers | None = None


@dataclass(frozen=True)
class Defaults:
    """`defaults voice "ko" rate 140`: settings for every flow of the plan."""

    options: tuple[Option, ...]
    span: Span


@dataclass(frozen=True)
class Route:
    numbers: tuple[Literal, ...]  # empty for `route default`
    callers: tuple[Literal, ...]
    target: Target
    span: Span


@dataclass(frozen=True)
class Hours:
    first_day: Name
    last_day: Name | None
    ranges: tuple[tuple[Literal, Literal], ...]  # ("09:00", "17:00") pairs
    span: Span


@dataclass(frozen=True)
class Schedule:
    name: Name
    timezone: Literal | None
    hours: tuple[Hours, ...]
    holidays: tuple[tuple[Literal, Literal], ...]  # inclusive ranges, YYYY-MM-DD or MM-DD
    span: Span
    calendars: tuple[Literal, ...] = ()  # `holidays "DE-BY"`: region codes


@dataclass(frozen=True)
class Setting:
    name: Name
    values: tuple[Value, ...]
    span: Span


@dataclass(frozen=True)
class QueueDecl:
    name: Name
    settings: tuple[Setting, ...]
    span: Span


@dataclass(frozen=True)
class Include:
    path: Literal
    span: Span


@dataclass(frozen=True)
class GlobalSet:
    name: Name
    expr: Expr
    span: Span


Item = Include | Defaults | Route | Flow | Schedule | QueueDecl | GlobalSet | Handlers


@dataclass(frozen=True)
class Module:
    """One parsed file."""

    path: str
    items: tuple[Item, ...]
