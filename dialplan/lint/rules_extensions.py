"""Rules against the directory of extensions: a `dial extension` the directory does not
have (L705), and a route that takes an extension's calls somewhere that never rings it
(L706). Both are silent without a directory (config.extensions is None).

Why a route "clashes" only when its flow never dials the extension: every call, also
one between phones, enters through a route, so `route _2XX -> office` with
`dial extension "{{ called }}"` is exactly how extensions are reached. A route whose
flow cannot ring the number it catches (`route 201 -> sales`, a queue) leaves the phone
registered as 201 unreachable, which is what the author rarely means.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..diagnostics import did_you_mean
from ..plan.routes import best_route, matches
from .graph import PlanGraph
from .types import Finding

SHOWN = 3  # extensions named in one L706 message; the rest are counted


def _templated(target: str) -> bool:
    return "{{" in target


def _extension_dials(graph: PlanGraph, nodes: set[int] | None = None) -> Iterator[p.Node]:
    for node in graph.plan.nodes:
        if nodes is not None and node.id not in nodes:
            continue
        if isinstance(node.action, p.Dial) and node.action.extension:
            yield node


def unknown_extensions(graph: PlanGraph, numbers: frozenset[str] | None
                       ) -> Iterator[Finding]:
    if numbers is None:
        return
    for node in _extension_dials(graph):
        assert isinstance(node.action, p.Dial)
        for target in node.action.targets:
            if not _templated(target) and target not in numbers:
                yield Finding("L705", node.span, {"number": target},
                              did_you_mean(target, numbers))


def _rings(graph: PlanGraph, entry: int, number: str) -> bool:
    """Whether some `dial extension` the route's entry leads to can ring `number`."""
    for node in _extension_dials(graph, graph.reachable([entry])):
        assert isinstance(node.action, p.Dial)
        if any(_templated(t) or t == number for t in node.action.targets):
            return True
    return False


def _caught(rule: p.RouteRule, number: str) -> str:
    return next((n for n in rule.numbers if matches(n, number)), "default")


def routes_taking_extensions(graph: PlanGraph, numbers: frozenset[str] | None
                             ) -> Iterator[Finding]:
    if numbers is None:
        return
    lost: dict[int, list[str]] = {}
    rules = graph.plan.routes
    for number in sorted(numbers):
        best = best_route(rules, number, "")
        if best is not None and not _rings(graph, best[1].entry, number):
            lost.setdefault(rules.index(best[1]), []).append(number)
    for index, caught in lost.items():
        rule = rules[index]
        named = ", ".join(caught[:SHOWN]) + (f" and {len(caught) - SHOWN} more"
                                             if len(caught) > SHOWN else "")
        yield Finding("L706", rule.span, {"number": _caught(rule, caught[0]),
                                          "target": rule.target, "extensions": named})
