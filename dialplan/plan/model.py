"""The compiled plan: an immutable table of nodes the machine walks.

A node performs one action, then continues at `next`, or at one of its `branches`
(keyed by a label, labels.py: `noinput`, `busy`, `key 1`, `word sales`, `true`, ...). `next` of
None means "end of the state": return from a sub-flow, or hang up. Spans are kept
for diagnostics and traces but excluded from equality and from the version hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..source import NO_SPAN, Span
from ..syntax.exprs import Expr
from .actions import Action
from .labels import Label


@dataclass(frozen=True)
class Node:
    id: int
    action: Action
    next: int | None
    branches: tuple[tuple[Label, int | None], ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def branch(self, label: Label) -> int | None:
        for key, target in self.branches:
            if key == label:
                return target
        raise KeyError(label)

    def has_branch(self, label: Label) -> bool:
        return any(key == label for key, _ in self.branches)


# -- declarations -------------------------------------------------------------------
@dataclass(frozen=True)
class FlowInfo:
    name: str
    entry: int
    states: tuple[tuple[str, int], ...]  # state name -> its Enter node


@dataclass(frozen=True)
class RouteRule:
    numbers: tuple[str, ...]  # exact numbers or `_` patterns; empty: default route
    callers: tuple[str, ...]  # empty: any caller
    entry: int
    target: str  # as written, for display
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Schedule:
    name: str
    timezone: str
    hours: tuple[tuple[int, int, int], ...]  # (weekday 0=Mon, start minute, end minute)
    holidays: tuple[tuple[str, str], ...]  # inclusive ISO date ranges
    yearly: tuple[tuple[str, str], ...] = ()  # inclusive MM-DD ranges, 12-31..01-01 wraps
    calendars: tuple[str, ...] = ()  # region codes of plan/calendars.py: `DE-BY`


@dataclass(frozen=True)
class Queue:
    name: str
    agents: tuple[str, ...]
    music: str | None
    max_wait: float
    ring_timeout: float
    strategy: str
    max_callers: int


@dataclass(frozen=True)
class Plan:
    version: str
    nodes: tuple[Node, ...]
    flows: tuple[FlowInfo, ...]
    routes: tuple[RouteRule, ...]
    schedules: tuple[Schedule, ...]
    queues: tuple[Queue, ...]
    globals: tuple[tuple[str, Expr], ...]
    allow_refer: bool = False  # `defaults allow_refer true`: callers' REFERs may be followed
    root: str = field(default="", compare=False, repr=False)

    @cached_property
    def flow_by_name(self) -> dict[str, FlowInfo]:
        return {flow.name: flow for flow in self.flows}

    @cached_property
    def schedule_by_name(self) -> dict[str, Schedule]:
        return {schedule.name: schedule for schedule in self.schedules}

    @cached_property
    def queue_by_name(self) -> dict[str, Queue]:
        return {queue.name: queue for queue in self.queues}
