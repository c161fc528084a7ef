"""`dialplan show FILE`: the compiled machine, readable (or as JSON)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from .. import plan as p
from ..build import build_file
from ..compiler.serialize import to_data
from ..compiler.walk import state_nodes
from ..loader import Sources
from ..render import format_text
from ..syntax.exprs import BinOp, Call, Duration, During, ListExpr, Literal, Negate, Not, Var
from ..syntax.unparse import unparse
from .common import missing_paths

EXPRESSIONS = (BinOp, Call, Duration, During, ListExpr, Literal, Negate, Not, Var)


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("show", help="print the compiled state machine of a plan")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if missing_paths([args.file]):
        return 2
    sources = Sources()
    build = build_file(args.file, sources)
    if build.plan is None:
        print(format_text(build.diagnostics, sources.texts))
        return 1
    if args.format == "json":
        print(json.dumps(to_data(build.plan), indent=2, ensure_ascii=False))
    else:
        print(render_plan(build.plan))
    return 0


def _value(value: Any) -> str:
    if isinstance(value, EXPRESSIONS):
        return unparse(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "(" + _fields(value) + ")"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _fields(record: Any) -> str:
    """Every field that differs from its default, as `name=value`."""
    parts = []
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if field.compare and (field.default is dataclasses.MISSING or value != field.default):
            parts.append(f"{field.name}={_value(value)}")
    return " ".join(parts)


def _describe(action: p.Action) -> str:
    """`say text="Welcome"`: the verb and its settings."""
    return f"{type(action).__name__.lower()} {_fields(action)}".rstrip()


def _target(plan: p.Plan, node_id: int | None) -> str:
    if node_id is None:
        return "end"
    action = plan.nodes[node_id].action
    if isinstance(action, p.Enter):
        return f"{action.flow}.{action.state}"
    return f"#{node_id}"


def render_plan(plan: p.Plan) -> str:
    lines = [f"plan {plan.root}  version {plan.version}", "routes:"]
    for route in plan.routes:
        numbers = ", ".join(route.numbers) or "default"
        callers = f" from {', '.join(route.callers)}" if route.callers else ""
        lines.append(f"  {numbers}{callers} -> {_target(plan, route.entry)}")
    for flow in plan.flows:
        lines.append(f"flow {flow.name}")
        for state, enter in flow.states:
            lines.append(f"  state {state} (#{enter}) -> {_target(plan, plan.nodes[enter].next)}")
            for node in state_nodes(plan, enter):
                branches = ", ".join(f"{k} -> {_target(plan, t)}" for k, t in node.branches)
                lines.append(f"    #{node.id} {_describe(node.action)}"
                             f" -> {_target(plan, node.next)}"
                             + (f"  [{branches}]" if branches else ""))
    return "\n".join(lines)
