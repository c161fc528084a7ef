"""Rules on the call graph: unreachable states, implicit hangups, busy loops, retry loops."""

from __future__ import annotations

from collections.abc import Iterator

from ..compiler import plan as p
from .graph import INPUTS, WAITING, PlanGraph, successors
from .types import Finding

_ENDS = (p.Hangup, p.Return, p.Retry)  # nodes that end a path on purpose


def unreachable_states(graph: PlanGraph) -> Iterator[Finding]:
    if not graph.plan.routes:
        return  # a library file: what it offers is used by the plans that include it
    for flow in graph.plan.flows:
        entered = [enter for _, enter in flow.states if enter in graph.live]
        if not entered:
            continue  # the whole flow is unused: L501 says so once
        for state, enter in flow.states:
            if enter not in graph.live:
                yield Finding("L101", graph.plan.nodes[enter].span, {"state": state})


def implicit_hangups(graph: PlanGraph) -> Iterator[Finding]:
    for flow in graph.plan.flows:
        if flow.name in graph.sub_flows:
            continue  # running out of statements there means `return`
        for state, enter in flow.states:
            if graph.plan.routes and enter not in graph.live:
                continue
            if any(_falls_off(graph, graph.plan.nodes[n]) for n in graph.state_nodes(enter)):
                yield Finding("L102", graph.plan.nodes[enter].span, {"state": state})


def can_return(graph: PlanGraph, flow: str) -> bool:
    """Whether a `run` of `flow` can come back (some path returns or runs out)."""
    entry = graph.plan.flow_by_name[flow].entry
    seen: set[int] = set()
    todo = [entry]
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = graph.plan.nodes[node_id]
        if isinstance(node.action, p.Return) or _falls_off(graph, node, calls=False):
            return True
        if isinstance(node.action, p.Run):  # the callee's own return continues here
            todo.extend([node.next] if node.next is not None else [])
        else:
            todo.extend(successors(node, graph.plan))
    return False


# Outcomes that continue at `next` unless the statement has a branch for them.
_OUTCOMES: dict[type, tuple[str, ...]] = {
    p.Collect: ("ok",), p.Listen: ("ok",), p.Transfer: ("failed",),
    p.Dial: ("answered", "busy", "noanswer", "failed"),
    p.Enqueue: ("answered", "noanswer", "failed"),
}


def _falls_off(graph: PlanGraph, node: p.Node, calls: bool = True) -> bool:
    """Whether some path through this node reaches the end of its state."""
    action = node.action
    if isinstance(action, (*_ENDS, p.Menu)):  # a menu leaves only through its branches
        return False
    if isinstance(action, p.Run):
        returns = can_return(graph, action.flow) if calls else True
        return node.next is None and returns
    if isinstance(action, p.Branch):
        return any(target is None for _, target in node.branches)
    outcomes = _OUTCOMES.get(type(action))
    if outcomes is not None:
        return node.next is None and not all(node.has_branch(o) for o in outcomes)
    return node.next is None


def busy_loops(graph: PlanGraph) -> Iterator[Finding]:
    """Cycles made only of nodes that do not wait (Tarjan's SCC on the instant nodes)."""
    plan = graph.plan
    instant = [n.id for n in plan.nodes if not isinstance(n.action, WAITING)]
    edges = {i: [s for s in successors(plan.nodes[i], plan)
                 if not isinstance(plan.nodes[s].action, WAITING)] for i in instant}
    for component in _cycles(edges):
        first = min(component)
        flow, state = graph.owner.get(first, ("?", "?"))
        enter = graph.enter_of(flow, state) if flow != "?" else first
        yield Finding("L103", plan.nodes[enter].span, {"state": state})


def _cycles(edges: dict[int, list[int]]) -> Iterator[list[int]]:
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    counter = 0

    def visit(start: int) -> Iterator[list[int]]:
        nonlocal counter
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    yield component

    for node in edges:
        if node not in index:
            yield from visit(node)


def retry_resets(graph: PlanGraph) -> Iterator[Finding]:
    """noinput/nomatch handlers that reach their own input node again through a state
    entry, without passing another input or a retry."""
    plan = graph.plan
    for node in plan.nodes:
        if not isinstance(node.action, INPUTS):
            continue
        for event in ("noinput", "nomatch"):
            if node.has_branch(event) and _reenters(plan, node.branch(event), node.id):
                verb = type(node.action).__name__.lower()
                yield Finding("L104", node.span, {"event": event, "verb": verb})


def _reenters(plan: p.Plan, start: int | None, input_node: int) -> bool:
    seen: set[int] = set()
    todo = [(start, False)]
    while todo:
        node_id, through_enter = todo.pop()
        if node_id is None or node_id in seen:
            continue
        if node_id == input_node:
            if through_enter:
                return True
            continue
        seen.add(node_id)
        node = plan.nodes[node_id]
        if isinstance(node.action, (*INPUTS, p.Retry)):
            continue
        entered = through_enter or isinstance(node.action, p.Enter)
        todo.extend((s, entered) for s in successors(node, plan))
    return False
