"""Rules on routes: numbers that never win, and overlaps between different targets.

Patterns are compared position by position as character sets, with the `.` / `!`
tail absorbing any rest, which is exact for the pattern language of routes.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from .. import plan as p
from ..plan.routes import specificity, token_chars, tokens
from .graph import PlanGraph
from .types import Finding

Shape = tuple[list[frozenset[str]], str | None]  # fixed positions, then `.`/`!`/None


def shape(number: str) -> Shape:
    if not number.startswith("_"):
        return [frozenset(c) for c in number], None
    parts = tokens(number[1:])
    tail = parts[-1] if parts and parts[-1] in ".!" else None
    fixed = [chars for t in parts if (chars := token_chars(t)) is not None]
    return fixed, tail


def overlap(a: Shape, b: Shape) -> bool:
    (fa, ta), (fb, tb) = a, b
    if any(not (x & y) for x, y in zip(fa, fb, strict=False)):
        return False
    if len(fa) == len(fb):
        return ta == tb or "!" in (ta, tb) or (ta is not None and tb is not None)
    shorter_tail = ta if len(fa) < len(fb) else tb
    return shorter_tail is not None


def covers(a: Shape, b: Shape) -> bool:
    """Every number matching b also matches a."""
    (fa, ta), (fb, tb) = a, b
    if len(fb) < len(fa) or any(not y <= x for x, y in zip(fa, fb, strict=False)):
        return False
    if ta is None:
        return tb is None and len(fa) == len(fb)
    return ta == "!" or len(fb) > len(fa) or tb == "."


def _entries(plan: p.Plan) -> list[tuple[int, str, p.RouteRule]]:
    return [(i, n, r) for i, r in enumerate(plan.routes) for n in r.numbers]


def _beats(first: tuple[int, str], second: tuple[int, str]) -> bool:
    """Whether number `first` wins over `second` where both match (same callers)."""
    return (specificity(first[1]), first[0]) < (specificity(second[1]), second[0])


def route_findings(graph: PlanGraph) -> Iterator[Finding]:
    entries = _entries(graph.plan)
    shapes = {number: shape(number) for _, number, _ in entries}
    for (i, a, ra), (j, b, rb) in combinations(entries, 2):
        if ra.callers != rb.callers or i == j or not overlap(shapes[a], shapes[b]):
            continue
        if _beats((i, a), (j, b)):
            winner, loser = (i, a, ra), (j, b, rb)
        else:
            winner, loser = (j, b, rb), (i, a, ra)
        if covers(shapes[winner[1]], shapes[loser[1]]):
            yield Finding("L301", loser[2].span, {"number": loser[1], "other": winner[1]})
        elif ra.entry != rb.entry:
            words = {"number": loser[1], "other": winner[1], "target": winner[2].target,
                     "winner": winner[1]}
            yield Finding("L302", loser[2].span, words)
