"""Shared handlers: `handlers { noinput -> ... }` once per plan or per flow, inherited by
every menu, collect and listen that has no branch of its own for the event.

The blocks are checked once here (only noinput, nomatch and exhausted; each event once
per level). Inheritance is by event: a statement's own branch wins, then its flow's
handler, then the plan's. An inherited body is lowered at each statement that takes it,
as if written there: `retry` repeats that statement, `goto menu` names a state of that
statement's flow. Inside an inherited body nothing is inherited again, so a handler
that itself asks (`exhausted -> menu "..." { ... }`) cannot inherit itself forever.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Report
from ..plan import Outcome
from ..syntax import ast

SHARED_EVENTS = (Outcome.NOINPUT, Outcome.NOMATCH, Outcome.EXHAUSTED)
Inherited = tuple[tuple[Outcome, ast.Branch], ...]  # event -> the branch that handles it


def shared_branches(blocks: Iterable[ast.Handlers], report: Report) -> dict[Outcome, ast.Branch]:
    """The events the blocks of one level (the plan, or one flow) handle, checked."""
    found: dict[Outcome, ast.Branch] = {}
    allowed = ", ".join(SHARED_EVENTS)
    for block in blocks:
        for branch in block.branches:
            for key in branch.keys:
                if key.kind != "event" or key.text not in SHARED_EVENTS:
                    report.emit("E406", key.span, verb="handlers", event=key.text,
                                allowed=allowed)
                elif Outcome(key.text) in found:
                    report.emit("E407", key.span, key=key.text, verb="handlers")
                else:
                    found[Outcome(key.text)] = branch
    return found


def inherited(plan_level: dict[Outcome, ast.Branch], flow_level: dict[Outcome, ast.Branch]
              ) -> Inherited:
    """What the statements of a flow inherit: the flow's handlers over the plan's."""
    merged = {**plan_level, **flow_level}
    return tuple((event, merged[event]) for event in SHARED_EVENTS if event in merged)
