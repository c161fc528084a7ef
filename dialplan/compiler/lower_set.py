"""Lowering `set`: its expression checked (names, then types), and its `failed` branch.

`set x = a / b { failed -> ... }` continues in the branch when the value cannot be
computed for this call (division by zero, a text where a number belongs, a bad slice);
without the branch the variable becomes empty text, a warning is logged and the flow goes
on (docs/language.md, "Expressions").
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import plan
from ..plan import Outcome
from ..syntax import ast
from .expr_types import check_types
from .table import Context, Lowering, Next

SET_EVENTS = (Outcome.FAILED,)


def lower_set(lowerer: Lowering, statement: ast.SetVar, types: Mapping[str, str], cont: Next,
              ctx: Context) -> Next:
    check_types(statement.expr, types, lowerer.report)
    branches: dict[plan.Label, Next] = {}
    for branch in statement.branches or ():
        labels = [label for key in branch.keys if (label := _label(lowerer, key, branches))]
        entry = lowerer.block(branch.body, cont, ctx)
        branches.update(dict.fromkeys(labels, entry))
    node = plan.SetVar(statement.name.text, statement.expr)
    return lowerer.table.add(node, cont, statement.span, tuple(branches.items()))


def _label(lowerer: Lowering, key: ast.BranchKey, seen: Mapping[plan.Label, Next]
           ) -> plan.Label | None:
    if key.kind != "event" or key.text not in SET_EVENTS:
        lowerer.report.emit("E406", key.span, verb="set", event=key.text,
                            allowed=", ".join(SET_EVENTS))
        return None
    if Outcome(key.text) in seen:
        lowerer.report.emit("E407", key.span, key=key.text, verb="set")
        return None
    return Outcome(key.text)
