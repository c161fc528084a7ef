"""The plan as a graph: successors, reachability, which nodes belong to which state.

Lint rules reason over the compiled node table rather than the AST, so gotos, branch
bodies, `run` and `retry` are all plain edges here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from .. import plan as p
from ..compiler.walk import returning_flows, state_nodes, successors

WAITING = (p.Play, p.Say, p.Menu, p.Collect, p.Listen, p.Transfer, p.Dial, p.Enqueue,
           p.Record, p.Wait, p.Hangup, p.Retry)
INPUTS = (p.Menu, p.Collect, p.Listen)


class PlanGraph:
    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan

    def reachable(self, starts: Iterable[int]) -> set[int]:
        seen: set[int] = set()
        todo = list(starts)
        while todo:
            node_id = todo.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            todo.extend(successors(self.plan.nodes[node_id]))
        return seen

    @cached_property
    def live(self) -> set[int]:
        """Nodes some route can lead to."""
        return self.reachable(route.entry for route in self.plan.routes)

    @cached_property
    def owner(self) -> dict[int, tuple[str, str]]:
        """Each node's (flow, state): the state whose Enter node reaches it first."""
        owners: dict[int, tuple[str, str]] = {}
        for flow in self.plan.flows:
            for state, enter in flow.states:
                for node_id in self.state_nodes(enter):
                    owners.setdefault(node_id, (flow.name, state))
        return owners

    def state_nodes(self, enter: int) -> list[int]:
        """A state's entry node and every node of its body."""
        return [enter, *(node.id for node in state_nodes(self.plan, enter))]

    @cached_property
    def returning(self) -> set[str]:
        return returning_flows(self.plan)

    @cached_property
    def sub_flows(self) -> set[str]:
        """Flows entered by `run` somewhere."""
        return {node.action.flow for node in self.plan.nodes if isinstance(node.action, p.Run)}

    def enter_of(self, flow: str, state: str) -> int:
        return dict(self.plan.flow_by_name[flow].states)[state]
