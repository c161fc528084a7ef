"""The plans a service runs: every root in a folder, compiled and checked together.

A PlanSet is immutable. Reloading builds a new one and swaps it in whole; calls keep
the Machine (and so the plan version) they started with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..build import Build, build_paths
from ..compiler.plan import Plan
from ..compiler.routes import best_route
from ..diagnostics import Diagnostic, Report
from ..loader import Sources
from ..machine import Machine


@dataclass(frozen=True)
class LoadedPlan:
    root: str
    plan: Plan
    machine: Machine

    @property
    def version(self) -> str:
        return self.plan.version


@dataclass(frozen=True)
class PlanSet:
    plans: tuple[LoadedPlan, ...]

    def route(self, called: str, caller: str) -> LoadedPlan | None:
        """The plan whose best route for this call beats the other plans'."""
        ranked = []
        for loaded in self.plans:
            best = best_route(loaded.plan.routes, called, caller)
            if best is not None:
                ranked.append((best[0], loaded.root, loaded))
        return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None

    def versions(self) -> dict[str, str]:
        return {loaded.root: loaded.version for loaded in self.plans}


def load_plan_set(folder: Path) -> tuple[PlanSet | None, list[Diagnostic], Sources]:
    """All plans under `folder`, or None and the diagnostics when anything is wrong."""
    sources = Sources()
    builds = build_paths([str(folder)], sources)
    report = Report()
    for build in builds:
        report.extend(build.diagnostics)
    _cross_plan_routes(builds, report)
    if report.has_errors or any(b.plan is None for b in builds):
        return None, report.sorted(), sources
    loaded = tuple(LoadedPlan(b.root, b.plan, Machine(b.plan)) for b in builds if b.plan)
    return PlanSet(loaded), report.sorted(), sources


def _cross_plan_routes(builds: list[Build], report: Report) -> None:
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for build in builds:
        for rule in build.plan.routes if build.plan else ():
            for number in rule.numbers or ("default",):
                first = seen.setdefault((number, rule.callers), build.root)
                if first != build.root:
                    report.emit("E308", rule.span, number=number, first=first)
