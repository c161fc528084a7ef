"""Rules on what does nothing: flows, schedules, queues and variables nobody uses, and
a plan with nothing in it."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..compiler.checks import is_known, template_names
from ..source import Span
from ..syntax import ast
from ..syntax.exprs import During, Expr, Var, walk
from .graph import PlanGraph
from .types import Finding

Named = ast.Flow | ast.Schedule | ast.QueueDecl | ast.GlobalSet


def _declared(modules: list[ast.Module], kind: type[Named]) -> dict[str, Span]:
    named = (item for module in modules for item in module.items if isinstance(item, kind))
    return {item.name.text: item.name.span for item in named}


def _expressions(plan: p.Plan) -> Iterator[Expr]:
    yield from (expr for _, expr in plan.globals)
    for node in plan.nodes:
        if isinstance(node.action, p.Branch):
            yield node.action.condition
        elif isinstance(node.action, p.SetVar):
            yield node.action.expr


def _templates(plan: p.Plan) -> Iterator[str]:
    for node in plan.nodes:
        action = node.action
        if isinstance(action, p.Say):
            yield action.text
        elif isinstance(action, p.Menu | p.Collect | p.Listen) and action.input.prompt:
            yield action.input.prompt.text or ""
        elif isinstance(action, p.Transfer):
            yield action.target
        elif isinstance(action, p.Dial):
            yield from action.targets
        elif isinstance(action, p.Fetch):
            yield from (action.url, *(template for _, template in action.body))


def reads(plan: p.Plan) -> tuple[set[str], set[str]]:
    """Variables and schedules that some expression or template reads."""
    variables: set[str] = set()
    schedules: set[str] = set()
    for expr in _expressions(plan):
        for node in walk(expr):
            if isinstance(node, Var):
                variables.add(node.name)
            elif isinstance(node, During):
                schedules.add(node.schedule)
    for text in _templates(plan):
        variables.update(template_names(text)[1])
    variables.update(_voice_reads(plan))
    return variables, schedules


def _voice_reads(plan: p.Plan) -> Iterator[str]:
    """Variables read for a prompt's language or voice (the call's `language` too)."""
    for node in plan.nodes:
        action = node.action
        prompt = action.input.prompt if isinstance(action, p.Menu | p.Collect | p.Listen) \
            else None
        voice = action.voice if isinstance(action, p.Say | p.Play) else \
            prompt.voice if prompt else None
        if voice is not None:
            implicit = None if voice.language_fixed else "language"
            yield from (n for n in (voice.language_var, voice.voice_var, implicit) if n)


def _assignments(plan: p.Plan, modules: list[ast.Module]) -> dict[str, Span]:
    """Where each variable is first set. A recording's id is left out: the recording is
    kept whether or not the flow reads its id."""
    found = dict(_declared(modules, ast.GlobalSet))
    for node in plan.nodes:
        if isinstance(node.action, p.SetVar | p.Collect | p.Listen):
            found.setdefault(node.action.var, node.span)
    return found


def unused(graph: PlanGraph, modules: list[ast.Module]) -> Iterator[Finding]:
    plan = graph.plan
    if not plan.routes:
        return  # a library: its users are elsewhere
    flows = _declared(modules, ast.Flow)
    for flow in plan.flows:
        if not any(enter in graph.live for _, enter in flow.states):
            yield Finding("L501", flows[flow.name], {"name": flow.name})
    variables, schedules = reads(plan)
    for name, span in _declared(modules, ast.Schedule).items():
        if name not in schedules:
            yield Finding("L502", span, {"name": name})
    entered = {n.action.queue for n in plan.nodes if isinstance(n.action, p.Enqueue)}
    for name, span in _declared(modules, ast.QueueDecl).items():
        if name not in entered:
            yield Finding("L503", span, {"name": name})
    for name, span in _assignments(plan, modules).items():
        if not is_known(name, variables):  # `{{ account }}` reads `account.balance`
            yield Finding("L504", span, {"name": name})


def empty_plan(plan: p.Plan, root: str) -> Iterator[Finding]:
    """A root with no routes and no flows: an empty file, or one of comments only."""
    if not plan.routes and not plan.flows:
        yield Finding("L505", Span(root, 1, 1, 1, 1), {"name": root},
                      "add a route and a flow, or include this file from a plan")
