"""Every name a plan defines or uses, with its span: the one table that outline, go to
definition, find references, rename and completion read.

Keys are global: `flow:main`, `state:main.menu`, `queue:sales`, `schedule:hours`,
`variable:company`. A one-word target is a state of the flow it is written in when that
flow has one by that name, else a flow (as the compiler resolves it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..source import Span
from ..syntax import ast
from ..syntax.exprs import During, Expr, Literal, Var, walk
from ..syntax.walk import assigned_vars, statements

FLOW_VERBS = ("run",)
TEMPLATE_VAR = re.compile(
    r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+))*)")
QUEUE_VERBS = ("queue",)


@dataclass(frozen=True)
class Occurrence:
    key: str  # kind:name, e.g. state:main.menu
    span: Span
    definition: bool

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(":", 1)[1].rsplit(".", 1)[-1]


def occurrences(modules: Iterable[ast.Module]) -> list[Occurrence]:
    modules = list(modules)
    states = {f"{f.name.text}.{s.name.text}" for f in _flows(modules) for s in f.states}
    found: list[Occurrence] = []
    for module in modules:
        for item in module.items:
            found.extend(_item(item, states))
    return _members(found)


def _members(found: list[Occurrence]) -> list[Occurrence]:
    """A dotted name is one variable when it is assigned as such (`set account.balance`);
    otherwise its use is a use of the longest prefix that is a variable (`account.balance`
    of a `fetch account`): so renaming `account` renames it there too."""
    defined = {o.key for o in found if o.definition and o.kind == "variable"}
    kept = []
    for occurrence in found:
        name = occurrence.key.split(":", 1)[1]
        if occurrence.kind == "variable" and occurrence.key not in defined and "." in name:
            parts = name.split(".")
            for end in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:end])
                if f"variable:{prefix}" in defined:
                    span = occurrence.span
                    occurrence = Occurrence(f"variable:{prefix}", Span(
                        span.path, span.line, span.column, span.line,
                        span.column + len(prefix)), False)
                    break
        kept.append(occurrence)
    return kept


def _flows(modules: list[ast.Module]) -> Iterator[ast.Flow]:
    for module in modules:
        yield from (i for i in module.items if isinstance(i, ast.Flow))


def _item(item: ast.Item, states: set[str]) -> Iterator[Occurrence]:
    if isinstance(item, ast.Flow):
        yield Occurrence(f"flow:{item.name.text}", item.name.span, True)
        for state in item.states:
            yield Occurrence(f"state:{item.name.text}.{state.name.text}", state.name.span, True)
            yield from _body(state.body, item.name.text, states)
        for branch in item.handlers.branches if item.handlers else ():
            yield from _body(branch.body, item.name.text, states)
    elif isinstance(item, ast.Handlers):  # the plan's: one-word targets name flows here
        for branch in item.branches:
            yield from _body(branch.body, None, states)
    elif isinstance(item, ast.QueueDecl):
        yield Occurrence(f"queue:{item.name.text}", item.name.span, True)
    elif isinstance(item, ast.Schedule):
        yield Occurrence(f"schedule:{item.name.text}", item.name.span, True)
    elif isinstance(item, ast.GlobalSet):
        yield Occurrence(f"variable:{item.name.text}", item.name.span, True)
        yield from _expr(item.expr)
    elif isinstance(item, ast.Route):
        yield from _target(item.target, None, states)


def _body(body: tuple[ast.Statement, ...], flow: str | None, states: set[str]
          ) -> Iterator[Occurrence]:
    for name in assigned_vars(body):
        yield Occurrence(f"variable:{name.text}", name.span, True)
    for statement in statements(body):
        if isinstance(statement, ast.SetVar):
            yield from _expr(statement.expr)
        elif isinstance(statement, ast.If):
            for condition, _ in statement.arms:
                yield from _expr(condition)
        else:
            yield from _action(statement, flow, states)


def _action(action: ast.Action, flow: str | None, states: set[str]) -> Iterator[Occurrence]:
    for arg in action.args:
        if isinstance(arg, ast.Target):
            yield from _target(arg, flow, states)
        elif isinstance(arg, ast.Name) and action.verb in FLOW_VERBS:
            yield Occurrence(f"flow:{arg.text}", arg.span, False)
        elif isinstance(arg, ast.Name) and action.verb in QUEUE_VERBS:
            yield Occurrence(f"queue:{arg.text}", arg.span, False)
        elif isinstance(arg, Var):
            yield from _expr(arg)
        elif isinstance(arg, Literal) and isinstance(arg.value, str):
            yield from _template(arg)
    for option in action.options:
        for value in option.values:
            if isinstance(value, Var):
                yield from _expr(value)


def _target(target: ast.Target, flow: str | None, states: set[str]) -> Iterator[Occurrence]:
    first, second = target.first, target.second
    if second is not None:
        yield Occurrence(f"flow:{first.text}", first.span, False)
        yield Occurrence(f"state:{first.text}.{second.text}", second.span, False)
    elif flow is not None and f"{flow}.{first.text}" in states:
        yield Occurrence(f"state:{flow}.{first.text}", first.span, False)
    else:
        yield Occurrence(f"flow:{first.text}", first.span, False)


def _expr(expr: Expr) -> Iterator[Occurrence]:
    for node in walk(expr):
        if isinstance(node, Var):
            yield Occurrence(f"variable:{node.name}", node.span, False)
        elif isinstance(node, During):
            span = node.span
            start = span.end_column - len(node.schedule)
            yield Occurrence(f"schedule:{node.schedule}",
                             Span(span.path, span.end_line, start, span.end_line,
                                  span.end_column), False)


def _template(literal: Literal) -> Iterator[Occurrence]:
    """`{{ name }}` in a string written without escapes (so offsets are columns)."""
    text, span = str(literal.value), literal.span
    if span.line != span.end_line or span.end_column - span.column != len(text) + 2:
        return
    for match in TEMPLATE_VAR.finditer(text):
        column = span.column + 1 + match.start(1)
        yield Occurrence(f"variable:{match.group(1)}",
                         Span(span.path, span.line, column, span.line,
                              column + len(match.group(1))), False)
