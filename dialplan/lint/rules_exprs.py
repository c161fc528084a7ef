"""Rules on expressions: a `set` that can fail when the call runs, with nowhere to go."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..syntax.exprs import BinOp, Call, Expr, Var, walk
from .graph import PlanGraph
from .types import Finding

# Functions that fail on some inputs (text that is not a number, a time that is not ISO).
_PARTIAL = ("number", "format_time")


def _risk(expr: Expr) -> str | None:
    """Why `expr` may have no value on some call, or None when only a mistake the
    compiler would have seen could make it fail."""
    for node in walk(expr):
        if isinstance(node, BinOp) and node.op in ("/", "%") and _varies(node.right):
            return f"`{node.op}` by a value that may be 0"
        if isinstance(node, Call) and node.function in _PARTIAL and any(map(_varies,
                                                                             node.args)):
            return f"`{node.function}(...)` of a value known only then"
    return None


def _varies(expr: Expr) -> bool:
    """Whether `expr` reads a variable: its value is known only when the call runs."""
    return any(isinstance(node, Var) for node in walk(expr))


def unguarded_sets(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.plan.nodes:
        action = node.action
        if not isinstance(action, p.SetVar) or node.has_branch(p.Outcome.FAILED):
            continue
        why = _risk(action.expr)
        if why is not None:
            yield Finding("L601", node.span, {"name": action.var, "why": why},
                          "add `{ failed -> ... }` to say what happens then")
