"""Names a scenario expects, checked against its plan before anything runs.

A typo in `expect state clinic.pharmacyy` would otherwise surface only as a failed
expectation after the call ran ("was in clinic.pharmacy"), with no hint; here it is a
positioned error with a did-you-mean, as a misspelt `goto` is in the plan itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..diagnostics import did_you_mean
from ..plan import Plan
from . import model as m
from .transform import ScenarioError


def state_names(plan: Plan) -> list[str]:
    return [f"{flow.name}.{state}" for flow in plan.flows for state, _ in flow.states]


def unknown_names(scenario_file: m.ScenarioFile, plan: Plan) -> list[ScenarioError]:
    """Every `expect state` and `expect queue` naming something the plan lacks."""
    return list(_unknown(scenario_file, plan))


def _unknown(scenario_file: m.ScenarioFile, plan: Plan) -> Iterator[ScenarioError]:
    states = state_names(plan)
    for scenario in scenario_file.scenarios:
        for step in scenario.steps:
            if isinstance(step, m.ExpectState) and step.name not in states:
                yield ScenarioError(step.name_pos or step.pos,
                                    _message("state", step.name, states))
            elif (isinstance(step, m.ExpectRequest) and step.kind == "queue"
                  and step.targets[0] not in plan.queue_by_name):
                yield ScenarioError(step.pos, _message("queue", step.targets[0],
                                                       plan.queue_by_name))


def _message(kind: str, name: str, known: Iterable[str]) -> str:
    hint = did_you_mean(name, known)
    text = f"the plan has no {kind} `{name}`"
    return f"{text}; {hint}" if hint else text
