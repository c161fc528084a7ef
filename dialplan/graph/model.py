"""The picture of a plan as plain data, independent of the drawing language.

Flows and their states are nested clusters; inside a state, one node per compiled node
the machine walks, plus an `end` node where the state runs out of statements. Edges
carry the branch labels (digits, spoken words, events, `true`/`false`). The DOT and
Mermaid writers only decide how each `kind` looks.
"""

from __future__ import annotations

from dataclasses import dataclass

# Node kinds, each drawn with its own shape.
KINDS = ("route", "action", "input", "condition", "queue", "transfer", "dial", "hangup",
         "run", "return", "retry", "end")


@dataclass(frozen=True)
class Node:
    id: str
    label: str  # lines separated by "\n"
    kind: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False  # a call into a sub-flow, or a retry back to the prompt
    cluster: str | None = None  # the state cluster the edge enters, when it jumps there
    constraint: bool = True  # False: the edge must not shape the layout (retry loops)


@dataclass(frozen=True)
class State:
    id: str
    name: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Flow:
    id: str
    name: str
    states: tuple[State, ...]


@dataclass(frozen=True)
class Graph:
    title: str
    routes: tuple[Node, ...]
    flows: tuple[Flow, ...]
    edges: tuple[Edge, ...]
