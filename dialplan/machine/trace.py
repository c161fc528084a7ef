"""Which transitions a call took, observed without changing how the machine runs.

The machine reports commands, not the path it walked, so a TracingMachine listens
in on three things: every `advance` (a handler, or the call's start, moving on),
every node the cursor is moved to inside it, and every branch label looked up on a
node (all handlers take a branch by `node.branch(label)`). It also notes `end`.
Observation only: the traced run emits exactly what the plain Machine would.

A Tracer then replays those notes into edges, keeping its own stack of the `run`
nodes whose sub-flows are active, so that a `return` (or the end of a state in a
sub-flow) is credited to the `run` it comes back to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum

from .. import plan as p
from . import commands as cmd
from .core import Machine
from .state import Cursor


@dataclass(frozen=True, order=True)
class Transition:
    """An edge a call moved along: a node and the label it left by."""

    node: int
    label: str  # `next` or a branch label


class Noted(Enum):
    ADVANCE = "advance"  # a handler (or the call's start) moves the call on from `node`
    ENTER = "enter"  # the cursor is moved to `node`
    BRANCH = "branch"  # `label` is looked up on `node`
    END = "end"  # the call ends


@dataclass(frozen=True)
class Note:
    kind: Noted
    node: int | None = None
    label: p.Label | None = None


class _NotingNode(p.Node):
    """A plan node that notes which branch label the machine takes from it."""

    notes: list[Note]

    def branch(self, label: p.Label) -> int | None:
        self.notes.append(Note(Noted.BRANCH, self.id, label))
        return super().branch(label)


class _NotingCursor(Cursor):
    """A cursor that notes each node the machine moves it to."""

    notes: list[Note]

    def __setattr__(self, name: str, value: object) -> None:
        if name == "node":
            assert value is None or isinstance(value, int)
            self.notes.append(Note(Noted.ENTER, value))
        object.__setattr__(self, name, value)


class TracingMachine(Machine):
    """A Machine whose steps leave notes in `notes` (cleared by whoever reads them)."""

    def __init__(self, plan: p.Plan) -> None:
        self.notes: list[Note] = []
        nodes = []
        for node in plan.nodes:
            noting = _NotingNode(node.id, node.action, node.next, node.branches, node.span)
            object.__setattr__(noting, "notes", self.notes)
            nodes.append(noting)
        super().__init__(dataclasses.replace(plan, nodes=tuple(nodes)))

    def advance(self, cursor: Cursor, node_id: int | None, now: dt.datetime) -> None:
        self.notes.append(Note(Noted.ADVANCE, node_id))
        if isinstance(cursor, _NotingCursor):
            super().advance(cursor, node_id, now)
            return
        object.__setattr__(cursor, "notes", self.notes)
        cursor.__class__ = _NotingCursor
        try:
            super().advance(cursor, node_id, now)
        finally:
            cursor.__class__ = Cursor

    def end(self, cursor: Cursor, hangup: cmd.Hangup) -> None:
        self.notes.append(Note(Noted.END))
        super().end(cursor, hangup)


class Tracer:
    """Turns the notes of each step into transitions taken, over a whole call."""

    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan
        self.taken: list[Transition] = []
        self.frames: list[int] = []  # `run` nodes whose sub-flow is running
        self.states: list[str] = []  # `flow.state` of every state entered, in order
        self.mismatches = 0  # notes that did not fit the plan: a tracing bug

    def replay(self, origin: int | None, notes: list[Note]) -> None:
        """`origin`: where the call waited before the step (None: the call's start)."""
        current, moving = origin, False
        label: p.Label | None = None
        for note in notes:
            node_id = note.node
            if note.kind is Noted.BRANCH:
                label = note.label
            elif note.kind is Noted.ADVANCE:
                moving = True
            elif note.kind is Noted.ENTER and node_id is not None and node_id != current:
                action = self.plan.nodes[node_id].action
                if isinstance(action, p.Enter):
                    self.states.append(f"{action.flow}.{action.state}")
                if moving and current is not None:
                    self._leave(current, label, node_id)
                current, label = node_id, None
            elif note.kind is Noted.END and moving and current is not None:
                self._leave(current, label, None)
                current, moving = None, False

    def _leave(self, node_id: int, label: p.Label | None, arrived: int | None) -> None:
        node = self.plan.nodes[node_id]
        action = node.action
        if label is not None:
            target = node.branch(label)
            self._take(node_id, str(label))
            if isinstance(action, p.Run) and label is p.Outcome.CALL:
                self.frames.append(node_id)
        elif isinstance(action, p.Return):
            target = None
        elif isinstance(action, p.Hangup | p.Retry | p.Run):
            return  # no edge of its own: the end, the prompt again, or a run cut short
        else:
            target = node.next
            self._take(node_id, "next")
        while target is None and self.frames:
            run = self.frames.pop()  # the end of a sub-flow: back after its `run`
            self._take(run, "next")
            target = self.plan.nodes[run].next
        if target != arrived:
            self.mismatches += 1

    def _take(self, node_id: int, label: str) -> None:
        self.taken.append(Transition(node_id, label))
