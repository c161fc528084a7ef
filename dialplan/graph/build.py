"""Compiled `Plan` to `Graph`: per state, the nodes reachable from its entry without
entering another state (as `dialplan show` walks them), and an edge per way onward.

Node ids: `n<node id>`, `route<index>`, and `done<state's Enter id>` for the end of a
state (not `end…`: Mermaid would read that as its keyword)."""

from __future__ import annotations

from pathlib import Path

from .. import plan as p
from ..compiler.walk import OUTCOMES, state_nodes
from . import model
from .labels import branch_label, describe, wrap

KIND_OF: dict[type, str] = {
    p.Menu: "input", p.Collect: "input", p.Listen: "input", p.Branch: "condition",
    p.Enqueue: "queue", p.Transfer: "transfer", p.Dial: "dial", p.Hangup: "hangup",
    p.Run: "run", p.Return: "return", p.Retry: "retry",
}
# Actions whose `next` the machine never takes: they jump by branches or end the call.
NO_NEXT = (p.Menu, p.Branch, p.Hangup, p.Return, p.Retry)


class _Builder:
    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan
        self.nodes = {enter: state_nodes(plan, enter)
                      for flow in plan.flows for _, enter in flow.states}
        self.edges: list[model.Edge] = []
        self.ended: set[int] = set()  # states with an edge to their end node

    def entry(self, enter: int) -> str:
        nodes = self.nodes[enter]
        if not nodes:
            self.ended.add(enter)
        return f"n{nodes[0].id}" if nodes else f"done{enter}"

    def target(self, node_id: int | None, enter: int) -> tuple[str, str | None]:
        """Where an edge from inside state `enter` lands, and the cluster it enters."""
        if node_id is None:
            self.ended.add(enter)
            return f"done{enter}", None
        if isinstance(self.plan.nodes[node_id].action, p.Enter):
            cluster = f"cluster_state{node_id}" if node_id != enter else None
            return self.entry(node_id), cluster
        return f"n{node_id}", None

    def edge(self, source: str, node_id: int | None, enter: int, label: str = "",
             dashed: bool = False) -> None:
        target, cluster = self.target(node_id, enter)
        self.edges.append(model.Edge(source, target, label, dashed, cluster))

    def node_edges(self, node: p.Node, enter: int) -> None:
        source = f"n{node.id}"
        grouped: dict[int | None, list[str]] = {}
        for key, target in node.branches:
            grouped.setdefault(target, []).append(branch_label(key))
        outcomes = OUTCOMES.get(type(node.action), ())
        if left := [o for o in outcomes if not node.has_branch(o)]:
            grouped.setdefault(node.next, []).extend(left)
        for target, keys in grouped.items():
            if keys == ["call"]:
                self.edge(source, target, enter, "run", dashed=True)
            else:
                self.edge(source, target, enter, wrap(", ".join(keys)))
        if isinstance(node.action, p.Retry):
            retry = model.Edge(source, f"n{node.action.input_node}", "", True, None, False)
            self.edges.append(retry)
        elif not outcomes and not isinstance(node.action, NO_NEXT):
            self.edge(source, node.next, enter)

    def state(self, name: str, enter: int) -> model.State:
        nodes = [model.Node(f"n{n.id}", describe(n.action), KIND_OF.get(type(n.action), "action"))
                 for n in self.nodes[enter]]
        for node in self.nodes[enter]:
            self.node_edges(node, enter)
        if enter in self.ended or not nodes:
            nodes.append(model.Node(f"done{enter}", "end", "end"))
        return model.State(f"cluster_state{enter}", name, tuple(nodes))

    def routes(self) -> tuple[model.Node, ...]:
        nodes = []
        for index, route in enumerate(self.plan.routes):
            text = "route " + (", ".join(route.numbers) or "default")
            if route.callers:
                text += " from " + ", ".join(route.callers)
            nodes.append(model.Node(f"route{index}", wrap(text), "route"))
            target = self.entry(route.entry)
            self.edges.append(model.Edge(f"route{index}", target, "", False,
                                         f"cluster_state{route.entry}"))
        return tuple(nodes)


def entry_first(plan: p.Plan) -> list[int]:
    """Flow indexes, the flows routes lead to first (in route order), then the rest as
    written: Graphviz places what comes first first, so the entry is drawn at the start."""
    first_route: dict[int, int] = {}
    for number, route in enumerate(plan.routes):
        for index, flow in enumerate(plan.flows):
            if any(enter == route.entry for _, enter in flow.states):
                first_route.setdefault(index, number)
    return sorted(range(len(plan.flows)), key=lambda i: (first_route.get(i, len(plan.routes)), i))


def build_graph(plan: p.Plan) -> model.Graph:
    builder = _Builder(plan)
    routes = builder.routes()
    flows = tuple(
        model.Flow(f"cluster_flow{index}", plan.flows[index].name,
                   tuple(builder.state(name, enter) for name, enter in plan.flows[index].states))
        for index in entry_first(plan))
    return model.Graph(Path(plan.root).name, routes, flows, tuple(builder.edges))
