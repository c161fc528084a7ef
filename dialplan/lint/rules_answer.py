"""Media before `answer`: an unanswered call has no media path (early media is not
offered), so a prompt there is silence and the INVITE sits at 180 until the caller
gives up. The rule follows every path from the routes that has not passed an
`answer`, into sub-flows and back out of those that can return without answering."""

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
HINT = "put `answer` before it on every path that reaches it"


def media_before_answer(graph: PlanGraph) -> Iterator[Finding]:
    """The first media node on each path from a route that has not answered yet (what
    follows it on that path is the same mistake)."""
    plan = graph.plan
    unanswered = returns_unanswered(plan, graph.returning)
    for node in walk(plan, [route.entry for route in plan.routes],
                     lambda node: _onward(node, graph.returning, unanswered, True), _stops):
        if node is not None and type(node.action) in MEDIA:
            yield Finding("L105", node.span, {"verb": MEDIA[type(node.action)]}, HINT)


def _answers(node: p.Node) -> bool:
    return isinstance(node.action, p.Answer)


def _stops(node: p.Node) -> bool:
    """A path ends its search at `answer`, and at the first media node."""
    return isinstance(node.action, p.Answer) or type(node.action) in MEDIA


def returns_unanswered(plan: p.Plan, returning: set[str]) -> set[str]:
    """Flows a `run` can come back from with the call still unanswered."""
    def returns(entry: int, unanswered: set[str]) -> bool:
        def onward(node: p.Node) -> Iterator[int | None]:
            return _onward(node, returning, unanswered, False)
        return reaches_end(walk(plan, [entry], onward, _answers))
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
