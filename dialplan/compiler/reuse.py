"""Lowered flows kept from one compile of a document to the next, for the language
server: a keystroke changes one flow, so the nodes and diagnostics of the others are
replayed instead of lowered again (most of a large plan's compile).

A flow's lowering depends on its syntax tree, on where its nodes start in the node
table, and on the plan around it: every flow's states and their node ids, the
variables and their types, the schedule and queue names, `defaults` and `handlers`
(`plan_env`). A kept flow is replayed only when all of these are equal to what they
were when it was lowered; anything else is lowered afresh, so a compile with reuse
gives exactly the plan and diagnostics of one without."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from .. import plan
from ..diagnostics import Diagnostic, Report
from ..syntax import ast
from .symbols import Symbols
from .table import NodeTable

PlanEnv = tuple[Hashable, ...]


def plan_env(symbols: Symbols, variable_types: Mapping[str, str]) -> PlanEnv:
    """Everything outside a flow that its lowering reads."""
    return (
        tuple((flow, tuple(states.items())) for flow, states in symbols.states.items()),
        frozenset(symbols.variables),
        tuple(symbols.schedules),
        tuple(symbols.queues),
        tuple(symbols.defaults),
        tuple(symbols.handlers),
        tuple(sorted(variable_types.items())),
    )


@dataclass(frozen=True)
class _Lowered:
    flow: ast.Flow
    base: int  # the table's size when the flow's lowering began
    added: tuple[plan.Node | None, ...]  # the nodes it added, from `base` on
    states: tuple[tuple[int, plan.Node | None], ...]  # its states' reserved nodes
    diagnostics: tuple[Diagnostic, ...]


class LoweredFlows:
    """The flows of the last compile that used this object, each as it was lowered."""

    def __init__(self) -> None:
        self._env: PlanEnv | None = None
        self._kept: dict[str, _Lowered] = {}

    def lower(self, flows: Iterable[ast.Flow], env: PlanEnv, table: NodeTable,
              report: Report, state_ids: Callable[[ast.Flow], Iterable[int]],
              lower_one: Callable[[ast.Flow], None]) -> None:
        """Lower `flows` in order with `lower_one`, or replay what it did last time."""
        same_env, self._env = env == self._env, env
        kept: dict[str, _Lowered] = {}
        for flow in flows:
            base = len(table)
            old = self._kept.get(flow.name.text) if same_env else None
            if old is not None and old.base == base and old.flow == flow:
                table.replay(old.added, old.states)
                report.extend(old.diagnostics)
                kept[flow.name.text] = old
                continue
            first = len(report.diagnostics)
            lower_one(flow)
            kept[flow.name.text] = _Lowered(
                flow, base, table.since(base),
                tuple((i, table.node(i)) for i in state_ids(flow)),
                tuple(report.diagnostics[first:]))
        self._kept = kept
