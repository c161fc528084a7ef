"""Lowering: statements of every state become nodes of one table.

Blocks are lowered back to front, so each node knows where the flow continues
(`cont`). `goto` makes no node of its own: it is the edge to the target state's
Enter node. Branch bodies that end without a jump continue after their statement.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

from .. import plan
from ..diagnostics import Report, did_you_mean
from ..syntax import ast
from ..syntax.exprs import Expr
from .checks import check_expr
from .expr_types import check_types, variable_types
from .handlers import inherited, shared_branches
from .lower_actions import ActionLowerer
from .lower_set import lower_set
from .options import VERB_OPTIONS, check_options, voice_of
from .reuse import LoweredFlows, plan_env
from .symbols import Symbols
from .table import Context, Next, NodeTable


class Lowerer:
    def __init__(self, symbols: Symbols, report: Report, reuse: LoweredFlows | None = None
                 ) -> None:
        self.symbols = symbols
        self.report = report
        self.table = NodeTable()
        self.plan_handlers = shared_branches(symbols.handlers, report)
        self.reuse = reuse  # flows lowered by an earlier compile of the same document

    # -- flows and states ---------------------------------------------------
    def reserve_states(self) -> None:
        for flow in self.symbols.flows.values():
            states: dict[str, int] = {}
            for state in flow.states:
                if state.name.text in states:
                    first = next(s for s in flow.states if s.name.text == state.name.text)
                    self.report.emit("E306", state.name.span, kind="state",
                                     name=state.name.text, first=str(first.name.span))
                    continue
                states[state.name.text] = self.table.reserve()
            if not flow.states:
                self.report.emit("E307", flow.name.span, name=flow.name.text)
            self.symbols.states[flow.name.text] = states

    def lower_flows(self) -> None:
        flows = self.symbols.flows.values()
        if self.reuse is None:
            for flow in flows:
                self.lower_flow(flow)
            return
        self.reuse.lower(flows, plan_env(self.symbols, self.variable_types), self.table,
                         self.report, lambda f: self.symbols.states[f.name.text].values(),
                         self.lower_flow)

    def lower_flow(self, flow: ast.Flow) -> None:
        voice = self.flow_voice(flow)
        own = shared_branches([flow.handlers] if flow.handlers else [], self.report)
        ctx = Context(flow.name.text, voice=voice,
                      inherited=inherited(self.plan_handlers, own))
        states = self.symbols.states[flow.name.text]
        seen: set[str] = set()
        for state in flow.states:
            if state.name.text in seen:
                continue
            seen.add(state.name.text)
            body = self.block(state.body, None, ctx)
            enter = plan.Enter(flow.name.text, state.name.text)
            self.table.put(states[state.name.text], enter, body, state.name.span)

    def flow_voice(self, flow: ast.Flow) -> plan.Voice:
        """The plan's `defaults`, then the flow's own settings on top."""
        base = plan.DEFAULT_VOICE
        for defaults in self.symbols.defaults:
            base = voice_of(self._settings(defaults.options, "defaults"), base)
        base = dataclasses.replace(base, language_fixed=False)  # the call's `language` wins
        return voice_of(self._settings(flow.options, "flow"), base)

    @cached_property
    def target_parameters(self) -> bool:
        """The plan's opt-in to URI parameters in literal targets (compiler/targets.py)."""
        allowed = False
        for defaults in self.symbols.defaults:
            allowed = bool(self._settings(defaults.options, "defaults").get(
                "target_parameters", allowed))
        return allowed

    def allow_refer(self) -> bool:
        """The plan's `defaults allow_refer true` (the last `defaults` that says)."""
        allow = False
        for defaults in self.symbols.defaults:
            allow = bool(self._settings(defaults.options, "defaults").get("allow_refer", allow))
        return allow

    def _settings(self, options: tuple[ast.Option, ...], owner: str) -> dict[str, object]:
        return check_options(options, VERB_OPTIONS[owner], self.report,
                             ("E401", {"verb": owner}))

    # -- statements ---------------------------------------------------------
    def block(self, body: tuple[ast.Statement, ...], cont: Next, ctx: Context) -> Next:
        for statement in reversed(body):
            cont = self.statement(statement, cont, ctx)
        return cont

    def statement(self, statement: ast.Statement, cont: Next, ctx: Context) -> Next:
        if isinstance(statement, ast.SetVar):
            check_expr(statement.expr, self.symbols.variables, self.symbols.schedules,
                       self.report)
            return lower_set(self, statement, self.variable_types, cont, ctx)
        if isinstance(statement, ast.If):
            return self.lower_if(statement, cont, ctx)
        # A fresh verb lowerer, not one kept on self: that would be a reference cycle,
        # leaving every compile's node table to the cyclic collector (whose full passes
        # over that garbage were the language server's slowest keystrokes).
        return ActionLowerer(self).lower(statement, cont, ctx)

    def lower_if(self, statement: ast.If, cont: Next, ctx: Context) -> Next:
        otherwise = cont if statement.orelse is None else self.block(statement.orelse, cont, ctx)
        for condition, body in reversed(statement.arms):
            self.check(condition)
            then = self.block(body, cont, ctx)
            otherwise = self.table.add(plan.Branch(condition), None, condition.span,
                                       ((plan.Outcome.TRUE, then), (plan.Outcome.FALSE, otherwise)))
        return otherwise

    def check(self, expr: Expr) -> None:
        check_expr(expr, self.symbols.variables, self.symbols.schedules, self.report)
        check_types(expr, self.variable_types, self.report)

    @cached_property
    def variable_types(self) -> dict[str, str]:
        """What each variable holds, where every assignment agrees (expr_types.py)."""
        return variable_types(self.symbols)

    # -- names --------------------------------------------------------------
    def resolve(self, target: ast.Target, flow: str | None) -> Next:
        """A goto or route target: `state` (in `flow`), `flow`, or `flow.state`."""
        states = self.symbols.states
        first = target.first.text
        if target.second is not None:
            if first not in states:
                self.undefined_flow(target.first)
                return None
            return self._state(first, target.second)
        if flow is not None and first in states[flow]:
            return states[flow][first]
        if first in states:
            return self.flow_entry(first)
        if flow is None:
            self.undefined_flow(target.first)
        else:
            hint = did_you_mean(first, [*states[flow], *states])
            self.report.emit("E301", target.first.span, hint, name=first, flow=flow)
        return None

    def flow_entry(self, flow: str) -> Next:
        entries = self.symbols.states[flow]
        return next(iter(entries.values()), None)

    def _state(self, flow: str, name: ast.Name) -> Next:
        states = self.symbols.states[flow]
        if name.text not in states:
            self.report.emit("E301", name.span, did_you_mean(name.text, states),
                             name=name.text, flow=flow)
            return None
        return states[name.text]

    def undefined_flow(self, name: ast.Name) -> None:
        self.report.emit("E302", name.span, did_you_mean(name.text, self.symbols.states),
                         name=name.text)
