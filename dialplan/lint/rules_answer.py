"""Media before `answer`: an unanswered call has no media path (early media is not
offered), so a prompt there is silence and the INVITE sits at 180 until the caller
gives up. The rule follows every path from the routes that has not passed an
`answer`, into sub-flows and back out of those that can return without answering."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..compiler.walk import edges
from .graph import PlanGraph
from .types import Finding

# What needs the caller's audio: prompts, input, recording, the queue's hold music.
MEDIA: dict[type, str] = {
    p.Play: "play", p.Say: "say", p.Menu: "menu", p.Collect: "collect", p.Listen: "listen",
    p.Record: "record", p.Enqueue: "queue",
}
HINT = "put `answer` before it on every path that reaches it"


def media_before_answer(graph: PlanGraph) -> Iterator[Finding]:
    """The first media node on each path from a route that has not answered yet."""
    plan = graph.plan
    unanswered = returns_unanswered(plan, graph.returning)
    seen: set[int] = set()
    todo = [route.entry for route in plan.routes]
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = plan.nodes[node_id]
        if isinstance(node.action, p.Answer):
            continue
        if type(node.action) in MEDIA:
            yield Finding("L105", node.span, {"verb": MEDIA[type(node.action)]}, HINT)
            continue  # what follows it on this path is the same mistake
        todo.extend(t for t in _onward(node, graph.returning, unanswered, True)
                    if t is not None)


def returns_unanswered(plan: p.Plan, returning: set[str]) -> set[str]:
    """Flows a `run` can come back from with the call still unanswered: a fixpoint, as
    a flow may return only through a sub-flow that does."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for flow in plan.flows:
            if flow.name not in found and _returns(plan, flow.entry, returning, found):
                found.add(flow.name)
                changed = True
    return found


def _returns(plan: p.Plan, entry: int, returning: set[str], unanswered: set[str]) -> bool:
    seen: set[int] = set()
    todo = [entry]
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = plan.nodes[node_id]
        if isinstance(node.action, p.Answer):
            continue
        if isinstance(node.action, p.Return):
            return True
        for target in _onward(node, returning, unanswered, False):
            if target is None:
                return True
            todo.append(target)
    return False


def _onward(node: p.Node, returning: set[str], unanswered: set[str], into_runs: bool
            ) -> Iterator[int | None]:
    """Where the call goes from `node` still unanswered. A `run` continues at `next`
    only if its flow can come back unanswered; `into_runs` also enters the flow."""
    if isinstance(node.action, p.Run):
        if into_runs and node.has_branch("call"):
            yield node.branch("call")
        if node.action.flow in unanswered:
            yield node.next
        return
    yield from (target for _, target in edges(node, returning))
