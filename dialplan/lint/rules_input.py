"""Rules on menus, collects and listens: missing handlers, keys that prefix others."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from .graph import INPUTS, PlanGraph
from .types import Finding


def missing_handlers(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.plan.nodes:
        action = node.action
        if not isinstance(action, INPUTS):
            continue
        verb = type(action).__name__.lower()
        if not node.has_branch(p.Outcome.EXHAUSTED):
            yield Finding("L201", node.span, {"verb": verb, "attempts": action.input.attempts})
        for event in (p.Outcome.NOINPUT, p.Outcome.NOMATCH):
            if not node.has_branch(event):
                yield Finding("L202", node.span, {"verb": verb, "event": str(event)})


def prefix_keys(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.plan.nodes:
        if not isinstance(node.action, p.Menu):
            continue
        keys = sorted(label.digits for label, _ in node.branches if isinstance(label, p.Key))
        for short in keys:
            for long in keys:
                if long != short and long.startswith(short):
                    words = {"short": short, "long": long,
                             "interdigit": f"{node.action.input.interdigit:g}s"}
                    yield Finding("L203", node.span, words)
