"""Shared handlers no menu, collect or listen inherits (compiler/handlers.py).

Read from the AST, because inheritance leaves no mark in the plan: an inherited branch
is lowered as if it had been written at the statement. A handler is inherited by a
statement that has no branch of its own for the event, in the flow that declares it
(flow level) or in a flow without its own handler for the event (plan level).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..syntax import ast
from ..syntax.walk import statements
from .types import Finding

SHARED = ("noinput", "nomatch", "exhausted")
INPUT_VERBS = ("menu", "collect", "listen")


def _keys(blocks: Iterable[ast.Handlers]) -> Iterator[ast.BranchKey]:
    for block in blocks:
        for branch in block.branches:
            yield from (key for key in branch.keys if key.text in SHARED)


def _unhandled(flow: ast.Flow) -> set[str]:
    """The events some input of the flow has no branch of its own for."""
    unhandled: set[str] = set()
    for state in flow.states:
        for statement in statements(state.body):
            if isinstance(statement, ast.Action) and statement.verb in INPUT_VERBS:
                own = {key.text for branch in statement.branches or () for key in branch.keys}
                unhandled.update(event for event in SHARED if event not in own)
    return unhandled


def unused_handlers(modules: list[ast.Module]) -> Iterator[Finding]:
    items = [item for module in modules for item in module.items]
    inherited_from_plan: set[str] = set()
    for flow in (item for item in items if isinstance(item, ast.Flow)):
        unhandled = _unhandled(flow)
        own = list(_keys([flow.handlers] if flow.handlers else []))
        for key in own:
            if key.text not in unhandled:
                yield Finding("L630", key.span, {"event": key.text,
                                                 "scope": f"flow `{flow.name.text}`"})
        inherited_from_plan |= unhandled - {key.text for key in own}
    for key in _keys(item for item in items if isinstance(item, ast.Handlers)):
        if key.text not in inherited_from_plan:
            yield Finding("L630", key.span, {"event": key.text, "scope": "the plan"})
