"""Theory of operation.

The machine is pure: `start` and `step` take the compiled plan, a call's immutable
state, one event and the current time, and return the new state plus the commands
the engine must perform. It never reads a clock, never sleeps and does no I/O;
timers are commands (StartTimer/CancelTimer) and their expiry is an event.

Between events a call rests at one node, in a `phase` naming what it waits for.
On an event the node's handler decides where to go; `advance` then runs nodes that
complete at once (answer, set, branch, goto edges, run/return) until it reaches a
node that has to wait, or the call ends. All waiting logic lives in the handlers of
inputs.py (menu, collect, listen) and actions.py (everything else).
"""

from __future__ import annotations

import datetime as dt

from .. import plan as p
from ..plan.routes import choose_route
from ..syntax.exprs import Expr
from . import commands as cmd
from . import events as ev
from .actions import ENTER, ON_EVENT, TAKES_DIGITS, WAIT
from .evaluate import EvaluationError, clock_vars, evaluate
from .state import CallInfo, CallState, Cursor, Phase

MAX_STEPS = 10_000  # instant nodes per event: a guard against loops with no wait


class Machine:
    """Runs calls on one plan. Holds no per-call data: that is the CallState."""

    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan

    # -- public -------------------------------------------------------------
    def start(self, call: CallInfo, now: dt.datetime) -> tuple[CallState, list[cmd.Command]]:
        """A new call: pick its route, set the globals, run until the first wait."""
        cursor = Cursor.from_state(CallState(self.plan.version))
        cursor.vars.update(caller=call.caller, called=call.called,
                           caller_name=call.caller_name, call_id=call.call_id)
        cursor.vars["caller.extension"] = call.extension
        cursor.vars["caller.authenticated"] = bool(call.extension)
        route = choose_route(self.plan.routes, call.called, call.caller)
        if route is None:
            cursor.emit(cmd.Log("warning", f"no route for {call.called} from {call.caller}"))
            self.end(cursor, cmd.Hangup("notfound", 404))
            return cursor.freeze(), cursor.commands
        for name, expr in self.plan.globals:
            self.assign(cursor, name, expr, now)
        self.advance(cursor, route.entry, now)
        return cursor.freeze(), cursor.commands

    def step(self, state: CallState, event: ev.Event, now: dt.datetime
             ) -> tuple[CallState, list[cmd.Command]]:
        if state.ended:
            return state, []
        cursor = Cursor.from_state(state)
        if isinstance(event, ev.HungUp):
            cursor.ended, cursor.node, cursor.phase = True, None, Phase.ENDED
            for role in list(cursor.timers):
                cursor.cancel_timer(role)
            return cursor.freeze(), cursor.commands
        if isinstance(event, ev.PromptFinished) and cursor.stopped_prompts:
            cursor.stopped_prompts -= 1  # the end of a prompt stopped on barge-in, not
            return cursor.freeze(), []   # of the one playing now
        if isinstance(event, ev.TimerFired):
            fired = cursor.timer_role(event.token)
            if fired is None:
                return state, []  # a timer cancelled after it fired: stale
            del cursor.timers[fired]  # it fired: nothing left to cancel
        assert cursor.node is not None
        node = self.plan.nodes[cursor.node]
        handler = ON_EVENT.get(type(node.action))
        if isinstance(event, ev.Digit) and not isinstance(node.action, TAKES_DIGITS):
            cursor.drop_digits(event.key, "nothing is waiting for keys")
        if handler is not None:
            handler(self, cursor, node, event, now)
        return cursor.freeze(), cursor.commands

    # -- used by the handlers -----------------------------------------------
    def advance(self, cursor: Cursor, node_id: int | None, now: dt.datetime) -> None:
        """Run instant nodes from `node_id` until one waits or the call ends."""
        for _ in range(MAX_STEPS):
            if node_id is None:
                if not cursor.stack:
                    self.end(cursor, cmd.Hangup("normal", 480))
                    return
                node_id = cursor.stack.pop()
                continue
            node = self.plan.nodes[node_id]
            cursor.node = node_id
            node_id = ENTER[type(node.action)](self, cursor, node, now)
            if cursor.ended or node_id == WAIT:
                self._keep_typeahead(cursor)
                return
        cursor.emit(cmd.Log("error", f"more than {MAX_STEPS} steps without waiting: "
                            f"a loop in flow `{cursor.flow}`"))
        self.end(cursor, cmd.Hangup("failure", 500))

    def _keep_typeahead(self, cursor: Cursor) -> None:
        """Digits typed ahead wait through prompts (a menu or collect takes them when it
        begins); anything else that waits, or the call's end, drops them."""
        node = None if cursor.node is None else self.plan.nodes[cursor.node]
        if cursor.typeahead and (node is None or not isinstance(node.action, p.Play | p.Say)):
            typed, cursor.typeahead = cursor.typeahead, ""
            why = "the call ended" if node is None else f"`{_kind(node)}` came next"
            cursor.drop_digits(typed, f"typed ahead, but {why}")

    def end(self, cursor: Cursor, hangup: cmd.Hangup) -> None:
        for role in list(cursor.timers):
            cursor.cancel_timer(role)
        cursor.emit(hangup)
        cursor.ended, cursor.node, cursor.phase = True, None, Phase.ENDED

    def env(self, cursor: Cursor, now: dt.datetime) -> dict[str, object]:
        return {**clock_vars(now), **cursor.vars}

    def truth(self, cursor: Cursor, expr: Expr, now: dt.datetime) -> bool:
        try:
            return bool(evaluate(expr, self.env(cursor, now), self.plan, now))
        except EvaluationError as error:
            cursor.emit(cmd.Log("warning", f"condition taken as false: {error}"))
            return False

    def assign(self, cursor: Cursor, name: str, expr: Expr, now: dt.datetime,
               failed_branch: bool = False) -> bool:
        try:
            cursor.vars[name] = evaluate(expr, self.env(cursor, now), self.plan, now)
            return True
        except EvaluationError as error:
            if failed_branch:
                cursor.emit(cmd.Log("info", f"`{name}` failed: {error}"))
            else:
                cursor.emit(cmd.Log("warning", f"`{name}` set to empty: {error}"))
                cursor.vars[name] = ""
            return False


def _kind(node: p.Node) -> str:
    """A node's statement as the language names it (`wait`, `dial`, ...)."""
    return type(node.action).__name__.lower()
