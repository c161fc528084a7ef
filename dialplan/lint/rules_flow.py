"""Rules on the call graph: unreachable states, implicit hangups, busy loops, retry loops."""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..compiler.walk import edges, successors
from .graph import INPUTS, WAITING, PlanGraph
from .types import Finding


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


def _falls_off(graph: PlanGraph, node: p.Node) -> bool:
    """Whether some edge the call can take from `node` is the end of its state."""
    return any(target is None for _, target in edges(node, graph.returning))


def busy_loops(graph: PlanGraph) -> Iterator[Finding]:
    """Cycles made only of nodes that do not wait (Tarjan's SCC on the instant nodes)."""
    plan = graph.plan
    instant = [n.id for n in plan.nodes if not isinstance(n.action, WAITING)]
    edges = {i: [s for s in successors(plan.nodes[i])
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
        for event in (p.Outcome.NOINPUT, p.Outcome.NOMATCH):
            if node.has_branch(event) and _reenters(plan, node.branch(event), node.id):
                verb = type(node.action).__name__.lower()
                yield Finding("L104", node.span, {"event": str(event), "verb": verb})


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
        todo.extend((s, entered) for s in successors(node))
    return False
