"""The lowering's shared ground: the node table, the context a block is lowered in, and
the Lowering protocol through which the verb lowerers (lower_actions.py, inputs.py)
reach the statement lowerer (lower.py) without importing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .. import plan
from ..diagnostics import Report
from ..source import Span
from ..syntax import ast
from .handlers import Inherited
from .symbols import Symbols

Next = int | None  # where the flow continues: a node, or None for the end of the state


@dataclass(frozen=True)
class Context:
    flow: str
    retry_target: int | None = None  # the innermost menu, collect or listen
    voice: plan.Voice = plan.DEFAULT_VOICE  # the flow's settings: a say's own come first
    inherited: Inherited = ()  # shared handlers (handlers.py) for inputs without their own


class NodeTable:
    """Nodes are reserved first (so branches can point back) and filled in later."""

    def __init__(self) -> None:
        self._nodes: list[plan.Node | None] = []

    def reserve(self) -> int:
        self._nodes.append(None)
        return len(self._nodes) - 1

    def put(self, node_id: int, action: plan.Action, next: Next, span: Span,
            branches: tuple[tuple[plan.Label, Next], ...] = ()) -> int:
        self._nodes[node_id] = plan.Node(node_id, action, next, branches, span)
        return node_id

    def add(self, action: plan.Action, next: Next, span: Span,
            branches: tuple[tuple[plan.Label, Next], ...] = ()) -> int:
        return self.put(self.reserve(), action, next, span, branches)

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, node_id: int) -> plan.Node | None:
        return self._nodes[node_id]

    def since(self, start: int) -> tuple[plan.Node | None, ...]:
        """The nodes from `start` on (what one flow's lowering added, for reuse.py)."""
        return tuple(self._nodes[start:])

    def replay(self, added: tuple[plan.Node | None, ...],
               states: tuple[tuple[int, plan.Node | None], ...]) -> None:
        """Add nodes lowered by an earlier compile and fill the states they enter at."""
        self._nodes.extend(added)
        for node_id, node in states:
            self._nodes[node_id] = node

    def freeze(self) -> tuple[plan.Node, ...]:
        assert all(node is not None for node in self._nodes)
        return tuple(node for node in self._nodes if node is not None)


class Lowering(Protocol):
    """The statement lowerer (lower.Lowerer) as the verb lowerers see it."""

    symbols: Symbols
    report: Report
    table: NodeTable

    @property
    def target_parameters(self) -> bool:
        """The plan's opt-in to URI parameters in literal targets."""

    def block(self, body: tuple[ast.Statement, ...], cont: Next, ctx: Context) -> Next:
        """Lower statements back to front; the entry of the block."""

    def resolve(self, target: ast.Target, flow: str | None) -> Next:
        """A goto or route target's node, or None (reported) when it names nothing."""

    def flow_entry(self, flow: str) -> Next:
        """The first state of `flow`."""

    def undefined_flow(self, name: ast.Name) -> None:
        """Report a flow name that names no flow."""
