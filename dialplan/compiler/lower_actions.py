"""Lowering of each verb: options checked against the verb's table, branches wired."""

from __future__ import annotations

from typing import Any

from .. import plan
from ..diagnostics import did_you_mean
from ..plan import Outcome
from ..syntax import ast
from ..syntax.exprs import Duration, Literal
from .checks import check_template
from .inputs import check_branch_keys, lower_input
from .lower_fetch import lower_fetch
from .options import VERB_OPTIONS, check_options, voice_of
from .table import Context, Lowering, Next
from .targets import extension_problem, target_problem, trunk_number_problem

# Named hangup causes: (Q.850 cause, SIP status used before answer).
HANGUP_CAUSES = {
    "normal": (16, 480), "busy": (17, 486), "noanswer": (19, 480), "rejected": (21, 603),
    "unavailable": (20, 480), "notfound": (1, 404), "congestion": (34, 503),
    "failure": (41, 500),
}
BRANCH_EVENTS = {
    "transfer": (Outcome.FAILED,),
    "dial": (Outcome.ANSWERED, Outcome.BUSY, Outcome.NOANSWER, Outcome.UNAVAILABLE,
             Outcome.FAILED),
    "queue": (Outcome.ANSWERED, Outcome.NOANSWER, Outcome.FAILED),
    "fetch": (Outcome.OK, Outcome.FAILED, Outcome.TIMEOUT),
}


def _causes() -> str:
    return ", ".join(f"`{cause}`" for cause in sorted(HANGUP_CAUSES)) + " or a SIP status 400-699"


class ActionLowerer:
    def __init__(self, lowerer: Lowering) -> None:
        self.lowerer = lowerer
        self.report = lowerer.report
        self.table = lowerer.table

    def lower(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        handler = getattr(self, f"_{action.verb}")
        result: Next = handler(action, cont, ctx)
        return result

    def options(self, action: ast.Action) -> dict[str, Any]:
        return check_options(action.options, VERB_OPTIONS.get(action.verb, {}), self.report,
                             ("E401", {"verb": action.verb}))

    def simple(self, action: ast.Action, node: plan.Action, cont: Next) -> int:
        self.options(action)
        return self.table.add(node, cont, action.span)

    # -- control ------------------------------------------------------------
    def _goto(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        target = action.args[0]
        assert isinstance(target, ast.Target)
        return self.lowerer.resolve(target, ctx.flow)

    def _run(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        name = action.args[0]
        assert isinstance(name, ast.Name)
        entry = None
        if name.text in self.lowerer.symbols.states:
            entry = self.lowerer.flow_entry(name.text)
        else:
            self.lowerer.undefined_flow(name)
        return self.table.add(plan.Run(name.text), cont, action.span, ((Outcome.CALL, entry),))

    def _return(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        return self.table.add(plan.Return(), None, action.span)

    def _retry(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        if ctx.retry_target is None:
            self.report.emit("E408", action.span)
            return cont
        return self.table.add(plan.Retry(ctx.retry_target), None, action.span)

    # -- media --------------------------------------------------------------
    def _answer(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        return self.simple(action, plan.Answer(), cont)

    def _ringing(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        return self.simple(action, plan.Ringing(early_media=False), cont)

    def _progress(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        return self.simple(action, plan.Ringing(early_media=True), cont)

    def _play(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        sounds = tuple(str(a.value) for a in action.args if isinstance(a, Literal))
        voice = voice_of(self.options(action), ctx.voice)
        return self.table.add(plan.Play(sounds, voice), cont, action.span)

    def _say(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        text = action.args[0]
        assert isinstance(text, Literal)
        options = self.options(action)
        check_template(str(text.value), text.span, self.lowerer.symbols.variables, self.report)
        node = plan.Say(str(text.value), voice_of(options, ctx.voice))
        return self.table.add(node, cont, action.span)

    def _wait(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        value = action.args[0]
        if not isinstance(value, Duration):
            self.report.emit("E402", action.span, name="wait", expected="a duration like `2s`",
                             got="something else")
            return cont
        return self.table.add(plan.Wait(value.seconds), cont, action.span)

    def _hangup(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        options = self.options(action)
        cause = options.get("cause", "normal")
        if isinstance(cause, int):
            status = cause
            if not 400 <= cause <= 699:
                self.report.emit("E413", action.span, name=str(cause), valid=_causes())
            cause = "normal"
        elif cause in HANGUP_CAUSES:
            status = HANGUP_CAUSES[cause][1]
        else:
            self.report.emit("E413", action.span, did_you_mean(str(cause), HANGUP_CAUSES),
                             name=cause, valid=_causes())
            status = 480
        return self.table.add(plan.Hangup(cause, status), None, action.span)

    # -- input ----------------------------------------------------------------
    def _menu(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        return lower_input(self.lowerer, action, self.options(action), cont, ctx)

    _collect = _menu
    _listen = _menu

    # -- calls ----------------------------------------------------------------
    def _transfer(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        options = self.options(action)
        target = action.args[0]
        assert isinstance(target, Literal)
        self.check_target(target)
        branches = self.branches(action, cont, ctx)
        node = plan.Transfer(str(target.value), options.get("timeout", 40.0))
        return self.table.add(node, cont, action.span, branches)

    def _dial(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        options = self.options(action)
        literals = [a for a in action.args if isinstance(a, Literal)]
        kinds = [a.text for a in action.args if isinstance(a, ast.Name)]
        extension, trunk = kinds[:1] == ["extension"], "".join(kinds[1:2])
        for literal in literals:
            if trunk:
                self.check_trunk_number(literal)
            else:
                self.check_target(literal, extension)
        targets = tuple(str(a.value) for a in literals)
        node = plan.Dial(targets, options.get("timeout", 30.0), options.get("caller_id"),
                         extension, trunk)
        return self.table.add(node, cont, action.span, self.branches(action, cont, ctx))

    def _queue(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        self.options(action)
        name = action.args[0]
        assert isinstance(name, ast.Name)
        if name.text not in self.lowerer.symbols.queues:
            self.report.emit("E304", name.span, did_you_mean(name.text,
                             self.lowerer.symbols.queues), name=name.text)
        branches = self.branches(action, cont, ctx)
        return self.table.add(plan.Enqueue(name.text), cont, action.span, branches)

    def _record(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        options = self.options(action)
        var = action.args[0]
        assert isinstance(var, ast.Name)
        finish = options.get("finish", "#")
        node = plan.Record(var.text, options.get("max", 60.0), finish, options.get("beep", True))
        return self.table.add(node, cont, action.span)

    def _fetch(self, action: ast.Action, cont: Next, ctx: Context) -> Next:
        node = lower_fetch(action, self.options(action), self.lowerer.symbols.variables,
                           self.report)
        return self.table.add(node, cont, action.span, self.branches(action, cont, ctx))

    def check_target(self, target: Literal, extension: bool = False) -> None:
        """Targets are templates too; their rendered form is checked per call, what is
        written literally here (targets.py)."""
        text = str(target.value)
        check_template(text, target.span, self.lowerer.symbols.variables, self.report)
        problem = (extension_problem(text) if extension
                   else target_problem(text, self.lowerer.target_parameters))
        if problem:
            self.report.emit("E417", target.span, target=text, detail=problem)

    def check_trunk_number(self, number: Literal) -> None:
        """A trunk's number is a template too; what is written literally must be digits
        (whether the trunk allows it is for the linter and the service to say)."""
        text = str(number.value)
        check_template(text, number.span, self.lowerer.symbols.variables, self.report)
        if problem := trunk_number_problem(text):
            self.report.emit("E601", number.span, number=text, detail=problem)

    def branches(self, action: ast.Action, cont: Next, ctx: Context
                 ) -> tuple[tuple[plan.Label, Next], ...]:
        """Event branches of transfer, dial and queue: each body continues at `cont`."""
        result: dict[plan.Label, Next] = {}
        for branch in action.branches or ():
            events = BRANCH_EVENTS[action.verb]
            labels = check_branch_keys(self.report, action, branch, events, result)
            entry = self.lowerer.block(branch.body, cont, ctx)
            result.update(dict.fromkeys(labels, entry))
        return tuple(result.items())
