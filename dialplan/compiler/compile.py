"""The compiler's entry point: parsed modules in, an immutable plan (or diagnostics) out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .. import plan
from ..diagnostics import Diagnostic, Report
from ..plan.routes import pattern_problem
from ..syntax import ast
from .languages import check_languages
from .lower import Lowerer
from .reuse import LoweredFlows
from .schedules import compile_queue, compile_schedule
from .serialize import content_version
from .symbols import Symbols, collect_symbols


def compile_modules(modules: Sequence[ast.Module], root: str = "", versioned: bool = True,
                    reuse: LoweredFlows | None = None
                    ) -> tuple[plan.Plan | None, list[Diagnostic]]:
    """Compile a root module and its includes. The plan is None when there are errors.
    `versioned=False` leaves the plan's content hash blank: checks that only want the
    diagnostics (an editor's, per keystroke) skip hashing the whole plan. `reuse` keeps
    the flows lowered by the previous compile of the same document (reuse.py)."""
    report = Report()
    symbols = collect_symbols(modules, report)
    schedules = tuple(compile_schedule(s, report) for s in symbols.schedules.values())
    queues = tuple(compile_queue(q, report) for q in symbols.queues.values())
    lowerer = Lowerer(symbols, report, reuse)
    lowerer.reserve_states()
    lowerer.lower_flows()
    routes = _routes(symbols, lowerer, report)
    for global_set in symbols.globals.values():
        lowerer.check(global_set.expr)
    check_languages(modules, symbols.variables, report)
    if report.has_errors:
        return None, report.sorted()
    flows = tuple(
        plan.FlowInfo(name, next(iter(states.values())), tuple(states.items()))
        for name, states in symbols.states.items()
    )
    compiled = plan.Plan(
        version="",
        nodes=lowerer.table.freeze(),
        flows=flows,
        routes=routes,
        schedules=schedules,
        queues=queues,
        globals=tuple((name, g.expr) for name, g in symbols.globals.items()),
        allow_refer=lowerer.allow_refer(),
        root=root,
    )
    if not versioned:
        return compiled, report.sorted()
    return dataclasses.replace(compiled, version=content_version(compiled)), report.sorted()


def _routes(symbols: Symbols, lowerer: Lowerer, report: Report) -> tuple[plan.RouteRule, ...]:
    rules = []
    seen: dict[tuple[str, tuple[str, ...]], ast.Route] = {}
    for route in symbols.routes:
        numbers = tuple(str(n.value) for n in route.numbers)
        callers = tuple(str(c.value) for c in route.callers)
        for literal in (*route.numbers, *route.callers):
            problem = pattern_problem(str(literal.value))
            if problem:
                report.emit("E409", literal.span, pattern=literal.value, detail=problem)
        for number in numbers or ("default",):
            first = seen.setdefault((number, callers), route)
            if first is not route:
                report.emit("E308", route.span, number=number, first=str(first.span))
        entry = lowerer.resolve(route.target, None)
        if entry is not None:
            rules.append(plan.RouteRule(numbers, callers, entry, str(route.target), route.span))
    return tuple(rules)
