"""Transition coverage: per plan and flow, which transitions some scenario took.

Several scenario files may test one plan; their transitions are pooled by plan path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..machine.trace import Transition
from ..plan import Plan
from ..sim.transitions import PlanTransitions


def percent(taken: int, total: int) -> float:
    return 100.0 if total == 0 else 100.0 * taken / total


@dataclass(frozen=True)
class FlowCoverage:
    flow: str
    total: int
    untaken: tuple[Transition, ...]

    @property
    def taken(self) -> int:
        return self.total - len(self.untaken)

    @property
    def percent(self) -> float:
        return percent(self.taken, self.total)


@dataclass(frozen=True)
class PlanCoverage:
    plan_path: str
    transitions: PlanTransitions
    flows: tuple[FlowCoverage, ...]

    @property
    def total(self) -> int:
        return sum(flow.total for flow in self.flows)

    @property
    def taken(self) -> int:
        return sum(flow.taken for flow in self.flows)

    @property
    def percent(self) -> float:
        return percent(self.taken, self.total)


def plan_coverage(plan_path: str, plan: Plan, taken: Iterable[Transition]) -> PlanCoverage:
    transitions = PlanTransitions(plan)
    done = set(taken)
    flows = tuple(FlowCoverage(flow, len(edges), tuple(t for t in edges if t not in done))
                  for flow, edges in transitions.by_flow().items())
    return PlanCoverage(plan_path, transitions, flows)
