"""One `dialplan test` run: find the scenario files, run them, pool coverage per plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..loader import Sources
from ..machine.trace import Transition
from ..plan import Plan
from ..sim.driver import Driver, VirtualDriver
from .coverage import PlanCoverage, plan_coverage
from .discover import discover
from .report import Outcome
from .run import FileResult, run_file
from .transform import ScenarioError


@dataclass
class Suite:
    outcome: Outcome
    errors: list[ScenarioError] = field(default_factory=list)  # files that cannot run
    texts: dict[str, str] = field(default_factory=dict)  # plan sources, for diagnostics


def run_suite(paths: list[str], driver_for: Callable[[Plan], Driver] = VirtualDriver,
              jobs: int = 1) -> Suite:
    found = discover(paths)
    if found.errors:
        return Suite(Outcome([], [], []), found.errors)
    sources = Sources()
    files = [run_file(scenario_file, sources, driver_for, jobs) for scenario_file in found.files]
    typos = [error for file in files for error in file.errors]
    if typos:
        return Suite(Outcome([], [], []), typos, sources.texts)
    return Suite(Outcome(files, _coverage(files), found.untested), [], sources.texts)


def _coverage(files: list[FileResult]) -> list[PlanCoverage]:
    pooled: dict[str, FileResult] = {}
    taken: dict[str, list[Transition]] = {}
    for file in files:
        if file.plan is None:
            continue
        pooled.setdefault(file.file.plan_path, file)
        taken.setdefault(file.file.plan_path, []).extend(file.taken)
    return [plan_coverage(path, file.plan, taken[path])
            for path, file in pooled.items() if file.plan is not None]
