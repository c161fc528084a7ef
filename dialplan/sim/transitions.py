"""The transitions of a compiled plan: the edges a call can actually move along.

An edge is a node and the label it leaves by: `next`, or one of its branch labels
(`key 2`, `word sales`, `noinput`, `busy`, `true`, `call`, ...). Coverage counts
these, so only edges the machine can take are listed: a menu never leaves by `next`
(its branch bodies do), a hangup, retry or return has no edge of its own, a transfer
that succeeds ends the call, and a `run` continues at `next` only when the called
flow can come back (a flow that always hangs up never returns).
"""

from __future__ import annotations

from .. import plan as p
from ..compiler.walk import edges as _edges
from ..compiler.walk import returning_flows as _returning
from ..machine.trace import Transition


class PlanTransitions:
    """Every transition of a plan, which flow and state it belongs to, and how to name it."""

    def __init__(self, plan: p.Plan) -> None:
        self.plan = plan
        returning = _returning(plan)
        self.targets: dict[Transition, int | None] = {
            Transition(node.id, label): target
            for node in plan.nodes for label, target in _edges(node, returning)}
        self.owner = self._owners()

    def _owners(self) -> dict[int, tuple[str, str]]:
        owners: dict[int, tuple[str, str]] = {}
        for flow in self.plan.flows:
            for state, enter in flow.states:
                todo = [enter]
                while todo:
                    node_id = todo.pop()
                    node = self.plan.nodes[node_id]
                    if node_id in owners or (isinstance(node.action, p.Enter)
                                             and node_id != enter):
                        continue
                    owners[node_id] = (flow.name, state)
                    todo += [t for _, t in node.branches if t is not None]
                    todo += [node.next] if node.next is not None else []
        return owners

    def by_flow(self) -> dict[str, list[Transition]]:
        """Transitions grouped by flow, in the plan's flow order, each in source order."""
        grouped: dict[str, list[Transition]] = {flow.name: [] for flow in self.plan.flows}
        for transition in sorted(self.targets, key=self._source_order):
            owner = self.owner.get(transition.node)
            if owner is not None:
                grouped[owner[0]].append(transition)
        return grouped

    def _source_order(self, transition: Transition) -> tuple[object, ...]:
        return (self.plan.nodes[transition.node].span, transition.label != "next",
                transition.label)

    def describe(self, transition: Transition) -> str:
        """`demo.dialplan:15:5 demo.menu: menu [key 2] -> transfer (17:12)`."""
        node = self.plan.nodes[transition.node]
        flow, state = self.owner.get(node.id, ("?", "?"))
        where = f"{node.span} {flow}.{state}: {_kind(node)}"
        label = "" if transition.label == "next" else f" [{transition.label}]"
        return f"{where}{label} -> {self._target(self.targets[transition])}"

    def _target(self, node_id: int | None) -> str:
        if node_id is None:
            return "end of state"
        node = self.plan.nodes[node_id]
        if isinstance(node.action, p.Enter):
            return f"{node.action.flow}.{node.action.state}"
        return f"{_kind(node)} ({node.span.line}:{node.span.column})"


def _kind(node: p.Node) -> str:
    if isinstance(node.action, p.Enter):
        return "entry"
    return type(node.action).__name__.lower()
