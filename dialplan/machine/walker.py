"""What the node handlers (actions.py, inputs.py) need of the machine that runs them.

A Protocol rather than the Machine class itself, so that the handlers do not import the
module whose dispatch tables import them: core.py depends on the handlers, not back.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from .. import plan as p
from ..syntax.exprs import Expr
from . import commands as cmd
from .state import Cursor


class Walker(Protocol):
    """The Machine (core.py) as its handlers see it: the plan, and how to move a call on."""

    @property
    def plan(self) -> p.Plan: ...

    def advance(self, cursor: Cursor, node_id: int | None, now: dt.datetime) -> None:
        """Run instant nodes from `node_id` until one waits or the call ends."""

    def end(self, cursor: Cursor, hangup: cmd.Hangup) -> None:
        """End the call: cancel its timers and hang up."""

    def env(self, cursor: Cursor, now: dt.datetime) -> dict[str, object]:
        """The variables templates and expressions see: clock values and the call's own."""

    def truth(self, cursor: Cursor, expr: Expr, now: dt.datetime) -> bool:
        """A condition's value; false (with a logged warning) if it cannot be evaluated."""

    def assign(self, cursor: Cursor, name: str, expr: Expr, now: dt.datetime,
               failed_branch: bool = False) -> bool:
        """Set a call variable; False if it cannot be evaluated: then, with no `failed`
        branch to take, the variable is empty (with a logged warning)."""
