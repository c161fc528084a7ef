"""The compiled plan: an immutable table of nodes the machine walks.

A node performs one action, then continues at `next`, or at one of its `branches`
(keyed by event: `noinput`, `busy`, `key 1`, `word sales`, `true`, ...). `next` of
None means "end of the state": return from a sub-flow, or hang up. Spans are kept
for diagnostics and traces but excluded from equality and from the version hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..source import NO_SPAN, Span
from ..syntax.exprs import Expr


# -- actions ------------------------------------------------------------------------
@dataclass(frozen=True)
class Enter:
    """Entry of a state: no command, but the call's location changes."""

    flow: str
    state: str


@dataclass(frozen=True)
class Answer:
    pass


@dataclass(frozen=True)
class Ringing:
    early_media: bool = False  # True: 183 Session Progress, False: 180 Ringing


@dataclass(frozen=True)
class Voice:
    voice: str | None = None
    rate: int | None = None
    language: str | None = None


DEFAULT_VOICE = Voice()  # the engine's default voice, rate and language


@dataclass(frozen=True)
class Play:
    sounds: tuple[str, ...]


@dataclass(frozen=True)
class Say:
    text: str  # a jinja2 template
    voice: Voice = Voice()


@dataclass(frozen=True)
class Prompt:
    """What an input node plays before it listens: spoken text or a sound file."""

    text: str | None = None
    sound: str | None = None
    voice: Voice = Voice()


@dataclass(frozen=True)
class Input:
    """Timing shared by menu, collect and listen; see docs/language.md for semantics."""

    prompt: Prompt | None
    timeout: float
    interdigit: float
    attempts: int
    barge_in: bool


@dataclass(frozen=True)
class Menu:
    input: Input
    confidence: float = 0.0


@dataclass(frozen=True)
class Collect:
    var: str
    input: Input
    min_digits: int
    max_digits: int
    terminators: str
    overall: float | None = None


@dataclass(frozen=True)
class Listen:
    var: str
    input: Input
    phrases: tuple[str, ...]
    confidence: float = 0.0


@dataclass(frozen=True)
class SetVar:
    var: str
    expr: Expr


@dataclass(frozen=True)
class Branch:
    """Continue at branch `true` or `false`."""

    condition: Expr


@dataclass(frozen=True)
class Retry:
    input_node: int


@dataclass(frozen=True)
class Run:
    """Call a sub-flow (branch `call`); `return` there continues at this node's `next`."""

    flow: str


@dataclass(frozen=True)
class Return:
    pass


@dataclass(frozen=True)
class Transfer:
    target: str
    timeout: float = 40.0  # for the far end's final answer: then the `failed` path


@dataclass(frozen=True)
class Dial:
    targets: tuple[str, ...]
    timeout: float
    caller_id: str | None = None


@dataclass(frozen=True)
class Enqueue:
    queue: str


@dataclass(frozen=True)
class Record:
    var: str
    max_seconds: float
    finish_keys: str
    beep: bool


@dataclass(frozen=True)
class Hangup:
    cause: str
    sip_status: int


@dataclass(frozen=True)
class Wait:
    seconds: float


Action = (
    Enter | Answer | Ringing | Play | Say | Menu | Collect | Listen | SetVar | Branch | Retry
    | Run | Return | Transfer | Dial | Enqueue | Record | Hangup | Wait
)


@dataclass(frozen=True)
class Node:
    id: int
    action: Action
    next: int | None
    branches: tuple[tuple[str, int | None], ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def branch(self, label: str) -> int | None:
        for key, target in self.branches:
            if key == label:
                return target
        raise KeyError(label)

    def has_branch(self, label: str) -> bool:
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
