"""Media before `answer`. A call that is neither answered nor in early media has no
audio path, so a prompt there is silence and the INVITE sits at 180 until the caller
gives up (L105). After `progress` (183 with SDP) prompts reach the caller, but their
side of the call may not reach us: many phones send no audio, so no keys, before the
200 OK, so input, recording and queues wait on something that may never come (L640).

Both rules follow every path from the routes, into sub-flows and back out of those
that can return in the same condition."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..compiler.walk import edges, flows_fixpoint, reaches_end, walk
from .graph import PlanGraph
from .types import Finding

# What needs the caller's audio: prompts, input, recording, the queue's hold music.
MEDIA: dict[type, str] = {
    p.Play: "play", p.Say: "say", p.Menu: "menu", p.Collect: "collect", p.Listen: "listen",
    p.Record: "record", p.Enqueue: "queue",
}
# What needs the caller's side of the call: fine once answered, doubtful in early media.
INPUT = {kind: verb for kind, verb in MEDIA.items() if kind not in (p.Play, p.Say)}
HINT = "put `answer` (or `progress`, for prompts only) before it on every path that reaches it"
EARLY_HINT = "put `answer` before it; early media carries prompts to the caller, not back"


def media_before_answer(graph: PlanGraph) -> Iterator[Finding]:
    """The first media node on each path from a route with neither `answer` nor
    `progress` before it (what follows it on that path is the same mistake)."""
    plan = graph.plan
    silent = returns_unanswered(plan, graph.returning, with_progress=False)
    for node in walk(plan, [route.entry for route in plan.routes],
                     lambda node: _onward(node, graph.returning, silent, True), _silent_stops):
        if node is not None and type(node.action) in MEDIA:
            yield Finding("L105", node.span, {"verb": MEDIA[type(node.action)]}, HINT)


def input_in_early_media(graph: PlanGraph) -> Iterator[Finding]:
    """The first input, recording or queue on each path in early media: after a
    `progress` (or a sub-flow that always returns after one) and before an `answer`."""
    plan, returning = graph.plan, graph.returning
    silent = returns_unanswered(plan, returning, with_progress=False)
    unanswered = returns_unanswered(plan, returning, with_progress=True)
    early = unanswered - silent  # every unanswered way back passed a `progress`
    starts: list[int | None] = []
    for node in walk(plan, [route.entry for route in plan.routes],
                     lambda node: _onward(node, returning, silent, True), _silent_stops):
        if node is not None and _progress(node):
            starts.extend(_onward(node, returning, unanswered, True))
        elif node is not None and isinstance(node.action, p.Run) and node.action.flow in early:
            starts.append(node.next)
    for node in walk(plan, starts, lambda node: _onward(node, returning, unanswered, True),
                     _early_stops):
        if node is not None and type(node.action) in INPUT:
            yield Finding("L640", node.span, {"verb": INPUT[type(node.action)]}, EARLY_HINT)


def _progress(node: p.Node) -> bool:
    return isinstance(node.action, p.Ringing) and node.action.early_media


def _silent_stops(node: p.Node) -> bool:
    """A silent path ends its search at `answer`, `progress` and the first media node."""
    return isinstance(node.action, p.Answer) or _progress(node) or type(node.action) in MEDIA


def _early_stops(node: p.Node) -> bool:
    """An early-media path ends at `answer` and at the first input."""
    return isinstance(node.action, p.Answer) or type(node.action) in INPUT


def returns_unanswered(plan: p.Plan, returning: set[str], with_progress: bool = True
                       ) -> set[str]:
    """Flows a `run` can come back from with the call still unanswered; without
    `with_progress`, also not in early media (no `progress` on the way)."""
    def ends(node: p.Node) -> bool:
        return isinstance(node.action, p.Answer) or (not with_progress and _progress(node))

    def returns(entry: int, unanswered: set[str]) -> bool:
        def onward(node: p.Node) -> Iterator[int | None]:
            return _onward(node, returning, unanswered, False)
        return reaches_end(walk(plan, [entry], onward, ends))
    return flows_fixpoint(plan, returns)


def _onward(node: p.Node, returning: set[str], unanswered: set[str], into_runs: bool
            ) -> Iterator[int | None]:
    """Where the call goes from `node` still unanswered. A `run` continues at `next`
    only if its flow can come back unanswered; `into_runs` also enters the flow."""
    if isinstance(node.action, p.Run):
        if into_runs and node.has_branch(p.Outcome.CALL):
            yield node.branch(p.Outcome.CALL)
        if node.action.flow in unanswered:
            yield node.next
        return
    yield from (target for _, target in edges(node, returning))
