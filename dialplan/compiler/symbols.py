"""The plan's namespace: flows, states, schedules, queues and variables, across all files.

Duplicates are reported with both positions; everything later resolves names here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Report
from ..source import Span
from ..syntax import ast
from ..syntax.walk import assigned_vars
from .checks import BUILTIN_VARS


@dataclass
class Symbols:
    flows: dict[str, ast.Flow] = field(default_factory=dict)
    schedules: dict[str, ast.Schedule] = field(default_factory=dict)
    queues: dict[str, ast.QueueDecl] = field(default_factory=dict)
    globals: dict[str, ast.GlobalSet] = field(default_factory=dict)
    routes: list[ast.Route] = field(default_factory=list)
    defaults: list[ast.Defaults] = field(default_factory=list)
    handlers: list[ast.Handlers] = field(default_factory=list)  # the plan's, of every file
    states: dict[str, dict[str, int]] = field(default_factory=dict)  # flow -> state -> node
    variables: set[str] = field(default_factory=set)


def _declare(table: dict[str, Any], name: ast.Name, item: Any, kind: str, report: Report
             ) -> None:
    first = table.get(name.text)
    if first is not None:
        first_span: Span = first.name.span
        report.emit("E306", name.span, kind=kind, name=name.text, first=str(first_span))
    else:
        table[name.text] = item


def collect_symbols(modules: Sequence[ast.Module], report: Report) -> Symbols:
    symbols = Symbols()
    for module in modules:
        for item in module.items:
            if isinstance(item, ast.Flow):
                _declare(symbols.flows, item.name, item, "flow", report)
            elif isinstance(item, ast.Schedule):
                _declare(symbols.schedules, item.name, item, "schedule", report)
            elif isinstance(item, ast.QueueDecl):
                _declare(symbols.queues, item.name, item, "queue", report)
            elif isinstance(item, ast.GlobalSet):
                _declare(symbols.globals, item.name, item, "variable", report)
            elif isinstance(item, ast.Route):
                symbols.routes.append(item)
            elif isinstance(item, ast.Defaults):
                symbols.defaults.append(item)
            elif isinstance(item, ast.Handlers):
                symbols.handlers.append(item)
    symbols.variables = set(BUILTIN_VARS) | set(symbols.globals)
    for flow in symbols.flows.values():
        for state in flow.states:
            symbols.variables.update(name.text for name in assigned_vars(state.body))
    shared = [*symbols.handlers, *(f.handlers for f in symbols.flows.values() if f.handlers)]
    for block in shared:
        for branch in block.branches:
            symbols.variables.update(name.text for name in assigned_vars(branch.body))
    return symbols
