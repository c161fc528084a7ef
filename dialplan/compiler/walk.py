"""Walking a compiled plan: the one definition of which edges a call can take, which
flows come back from `run`, and which nodes make up a state.

An edge is a node and the label it leaves by: `next`, or one of its branch labels
(`key 2`, `word sales`, `noinput`, `busy`, `true`, `call`, ...). Only edges the
machine can take count: a menu never leaves by `next` (its branch bodies do), a hangup,
retry or return has no edge of its own, a transfer that succeeds ends the call, and a
`run` continues at `next` only when the called flow can come back. A target of None
is the end of the state. Lint, coverage, graph and show all read the plan this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .. import plan as p

NO_EDGES = (p.Hangup, p.Retry, p.Return)
# Outcomes that continue at `next` unless the statement has a branch of their own.
OUTCOMES: dict[type, tuple[p.Outcome, ...]] = {
    p.Dial: (p.Outcome.ANSWERED, p.Outcome.BUSY, p.Outcome.NOANSWER, p.Outcome.FAILED),
    p.Enqueue: (p.Outcome.ANSWERED, p.Outcome.NOANSWER, p.Outcome.FAILED),
    p.Transfer: (p.Outcome.FAILED,), p.Collect: (p.Outcome.OK,), p.Listen: (p.Outcome.OK,),
    p.Fetch: (p.Outcome.OK, p.Outcome.FAILED, p.Outcome.TIMEOUT),
}


def edges(node: p.Node, returning: set[str]) -> Iterator[tuple[str, int | None]]:
    """The edges a call can leave `node` by, each named by its label as text (`next` for
    `next`); `returning` is `returning_flows(plan)`."""
    action = node.action
    if isinstance(action, NO_EDGES):
        return
    yield from ((str(label), target) for label, target in node.branches)
    if isinstance(action, p.Menu | p.Branch):
        return
    if isinstance(action, p.Run):
        if action.flow in returning:
            yield "next", node.next
        return
    outcomes = OUTCOMES.get(type(action))
    if outcomes is None or not all(node.has_branch(label) for label in outcomes):
        yield "next", node.next


def returning_flows(plan: p.Plan) -> set[str]:
    """Flows that can come back to a `run`: some path reaches a `return` or the end of
    a state."""
    def can_return(entry: int, returning: set[str]) -> bool:
        def onward(node: p.Node) -> Iterator[int | None]:
            return (target for _, target in edges(node, returning))
        return reaches_end(walk(plan, [entry], onward))
    return flows_fixpoint(plan, can_return)


def flows_fixpoint(plan: p.Plan, holds: Callable[[int, set[str]], bool]) -> set[str]:
    """The flows whose entry `holds`, given the flows found so far: grown to a fixpoint,
    since a flow may return only through a sub-flow that does."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for flow in plan.flows:
            if flow.name not in found and holds(flow.entry, found):
                found.add(flow.name)
                changed = True
    return found


def walk(plan: p.Plan, entries: Iterable[int | None],
         onward: Callable[[p.Node], Iterable[int | None]],
         stop: Callable[[p.Node], bool] = lambda node: False) -> Iterator[p.Node | None]:
    """Depth-first from `entries` along `onward`, each node once: a node where `stop`
    holds is yielded but not gone past; None each time a path reaches the end of a state."""
    seen: set[int] = set()
    todo = list(entries)
    while todo:
        node_id = todo.pop()
        if node_id is None:
            yield None
            continue
        if node_id in seen:
            continue
        seen.add(node_id)
        node = plan.nodes[node_id]
        yield node
        if not stop(node):
            todo.extend(onward(node))


def reaches_end(walked: Iterable[p.Node | None]) -> bool:
    """Whether a walk comes to a `return` or to the end of a state (back to a `run`)."""
    return any(node is None or isinstance(node.action, p.Return) for node in walked)


def successors(node: p.Node) -> Iterator[int]:
    """Every node control may reach from `node` (a retry goes back to its input)."""
    if node.next is not None:
        yield node.next
    for _, target in node.branches:
        if target is not None:
            yield target
    if isinstance(node.action, p.Retry):
        yield node.action.input_node


def state_nodes(plan: p.Plan, enter: int) -> list[p.Node]:
    """The nodes of one state in execution order (the main line first, then branches),
    up to but not into other states."""
    seen: list[int] = []
    todo = [plan.nodes[enter].next]
    while todo:
        node_id = todo.pop()
        if node_id is None or node_id in seen or isinstance(plan.nodes[node_id].action, p.Enter):
            continue
        seen.append(node_id)
        node = plan.nodes[node_id]
        todo.extend([*(target for _, target in reversed(node.branches)), node.next])
    return [plan.nodes[i] for i in seen]
