"""Walking statement trees: every statement, including those inside branches and blocks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import ast
from .exprs import Var


def statements(body: Iterable[ast.Statement]) -> Iterator[ast.Statement]:
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            for _, arm in statement.arms:
                yield from statements(arm)
            yield from statements(statement.orelse or ())
        elif isinstance(statement, ast.Action | ast.SetVar) and statement.branches:
            for branch in statement.branches:
                yield from statements(branch.body)


def assigned_vars(body: Iterable[ast.Statement]) -> Iterator[ast.Name]:
    """Names a body assigns: `set`, and the result variables of collect, listen, record."""
    for statement in statements(body):
        if isinstance(statement, ast.SetVar):
            yield statement.name
        elif isinstance(statement, ast.Action) and statement.verb in ("collect", "listen",
                                                                        "record"):
            first = statement.args[0] if statement.args else None
            if isinstance(first, ast.Name):
                yield first
        elif isinstance(statement, ast.Action) and statement.verb == "fetch":
            yield from _fetch_vars(statement)


def _fetch_vars(statement: ast.Action) -> Iterator[ast.Name]:
    """A fetch assigns its name (the prefix of its results) and its `status` variable."""
    if statement.args and isinstance(statement.args[0], ast.Name):
        yield statement.args[0]
    for option in statement.options:
        value = option.values[0] if option.values else None
        if option.name.text == "status" and isinstance(value, Var):
            yield ast.Name(value.name, value.span)
