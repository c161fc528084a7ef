"""`dialplan test` output: readable text, or JSON for tools.

Text names each scenario with PASS or FAIL; a failure shows the step as written with
its `file:line:col`, what was expected, what happened, and the end of what the
caller perceived. A coverage line per plan follows; with `detail`, each flow's
percentage and the transitions no scenario took.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..machine.trace import Transition
from ..render import as_json, format_text
from .coverage import PlanCoverage, percent
from .run import FileResult, ScenarioResult

TRANSCRIPT_TAIL = 8  # perceived items shown under a failure


@dataclass
class Outcome:
    files: list[FileResult]
    coverage: list[PlanCoverage]
    untested: list[str]

    @property
    def scenarios(self) -> list[ScenarioResult]:
        return [result for file in self.files for result in file.results]

    @property
    def failed(self) -> int:
        broken = sum(1 for file in self.files if file.plan is None)
        return broken + sum(1 for result in self.scenarios if not result.passed)

    @property
    def transitions(self) -> tuple[int, int]:
        return (sum(c.taken for c in self.coverage), sum(c.total for c in self.coverage))


def format_text_report(outcome: Outcome, texts: dict[str, str], detail: bool) -> str:
    lines: list[str] = []
    for file in outcome.files:
        version = f", version {file.plan.version}" if file.plan else ""
        lines.append(f"{file.file.path} (plan {file.file.plan_path}{version})")
        if file.plan is None:
            lines.append("  FAIL  the plan does not compile:")
            lines.extend("    " + line for line in format_text(file.diagnostics, texts)
                         .splitlines())
        for result in file.results:
            lines.extend(_scenario_lines(result))
    lines.append("")
    lines.extend(_coverage_lines(outcome, detail))
    lines.append(_summary(outcome))
    return "\n".join(lines)


def _scenario_lines(result: ScenarioResult) -> list[str]:
    name = result.scenario.name
    skipped = f" ({len(result.skipped)} step(s) skipped)" if result.skipped else ""
    if result.failure is None:
        reason = [f"        skipped from {result.skip_reason}"] if result.skip_reason else []
        return [f"  PASS  {name}{skipped}", *reason]
    failure = result.failure
    lines = [f"  FAIL  {name}",
             f"        {failure.pos}: {failure.step}",
             f"        expected: {failure.expected}",
             f"        actual:   {failure.actual}"]
    tail = [str(item) for item in result.transcript][-TRANSCRIPT_TAIL:]
    if tail:
        lines.append("        the call so far: ..." if len(result.transcript) > len(tail)
                     else "        the call so far:")
        lines.extend(f"          {item}" for item in tail)
    return lines


def _coverage_lines(outcome: Outcome, detail: bool) -> list[str]:
    lines = []
    for plan in outcome.coverage:
        lines.append(f"coverage {plan.plan_path}: {plan.percent:.0f}% "
                     f"({plan.taken}/{plan.total} transitions)")
        for flow in plan.flows if detail else ():
            lines.append(f"  flow {flow.flow}: {flow.percent:.0f}% ({flow.taken}/{flow.total})")
            lines.extend(f"    not taken: {plan.transitions.describe(t)}" for t in flow.untaken)
    lines.extend(f"coverage {path}: no scenarios" for path in outcome.untested)
    return lines


def _summary(outcome: Outcome) -> str:
    passed = sum(1 for result in outcome.scenarios if result.passed)
    partly = sum(1 for result in outcome.scenarios if result.passed and result.skipped)
    taken, transitions = outcome.transitions
    some_skipped = f" ({partly} with steps skipped)" if partly else ""
    return (f"{len(outcome.scenarios)} scenario(s): {passed} passed{some_skipped}, "
            f"{outcome.failed} failed; transitions {percent(taken, transitions):.0f}% "
            f"({taken}/{transitions})")


def format_json_report(outcome: Outcome) -> str:
    taken, transitions = outcome.transitions
    data = {
        "files": [_file_json(file) for file in outcome.files],
        "coverage": [_coverage_json(plan) for plan in outcome.coverage],
        "untested": outcome.untested,
        "summary": {"scenarios": len(outcome.scenarios), "failed": outcome.failed,
                    "transitions_taken": taken, "transitions": transitions,
                    "percent": round(percent(taken, transitions), 2)},
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _file_json(file: FileResult) -> dict[str, Any]:
    return {"file": file.file.path, "plan": file.file.plan_path,
            "version": file.plan.version if file.plan else None,
            "diagnostics": [as_json(d) for d in file.diagnostics],
            "scenarios": [_scenario_json(result) for result in file.results]}


def _scenario_json(result: ScenarioResult) -> dict[str, Any]:
    failure = result.failure
    pos = result.scenario.pos
    return {
        "name": result.scenario.name, "file": pos.path, "line": pos.line,
        "column": pos.column, "passed": result.passed,
        "failure": None if failure is None else {
            "step": failure.step, "file": failure.pos.path, "line": failure.pos.line,
            "column": failure.pos.column, "expected": failure.expected,
            "actual": failure.actual},
        "skipped": [step.source for step in result.skipped],
        "skip_reason": result.skip_reason or None,
        "transcript": [str(item) for item in result.transcript],
    }


def _untaken_json(plan: PlanCoverage, transition: Transition) -> dict[str, Any]:
    span = plan.transitions.plan.nodes[transition.node].span
    return {"node": transition.node, "label": transition.label, "file": span.path,
            "line": span.line, "column": span.column,
            "description": plan.transitions.describe(transition)}


def _coverage_json(plan: PlanCoverage) -> dict[str, Any]:
    return {"plan": plan.plan_path, "taken": plan.taken, "total": plan.total,
            "percent": round(plan.percent, 2),
            "flows": [{"flow": flow.flow, "taken": flow.taken, "total": flow.total,
                       "percent": round(flow.percent, 2),
                       "untaken": [_untaken_json(plan, t) for t in flow.untaken]}
                      for flow in plan.flows]}
