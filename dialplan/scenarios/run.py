"""Running scenarios: each one places a call through a driver, performs its steps in
order and stops at the first step that fails, keeping what was expected, what
happened instead, and the step's position.

A step the driver cannot observe is skipped; one it cannot make happen (a live call
whose far end gave another outcome) skips the rest of the scenario, with the reason.
Scenarios of a file may run side by side (`jobs`): a live service answers each on
its own call, and a scenario's wait is real time then.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..build import build_file
from ..diagnostics import Diagnostic
from ..loader import Sources
from ..machine.trace import Transition
from ..plan import Plan
from ..sim import SimulationError
from ..sim import perceived as seen
from ..sim.driver import CallSpec, Driver, Session, Unfollowable, Unobservable, VirtualDriver
from . import model as m
from .expect import Checker, Mismatch
from .names import unknown_names
from .transform import ScenarioError


@dataclass(frozen=True)
class Failure:
    pos: m.Pos
    step: str  # the step as written
    expected: str
    actual: str


@dataclass
class ScenarioResult:
    scenario: m.Scenario
    failure: Failure | None = None
    skipped: list[m.Step] = field(default_factory=list)  # unobservable for this driver
    skip_reason: str = ""  # why the steps from the first skipped one on could not run
    transcript: list[seen.Perceived] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failure is None


@dataclass
class FileResult:
    file: m.ScenarioFile
    plan: Plan | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # why the plan did not build
    results: list[ScenarioResult] = field(default_factory=list)
    taken: list[Transition] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)  # names the plan lacks


def _act(session: Session, step: m.Step) -> None:
    if isinstance(step, m.Press):
        session.press(step.keys)
    elif isinstance(step, m.Say):
        session.say(step.words, step.confidence)
    elif isinstance(step, m.Wait):
        session.wait(step.seconds)
    elif isinstance(step, m.HangUp):
        session.hang_up()
    else:
        assert isinstance(step, m.Outcome)
        session.choose(step.name)


def _failure(step: m.Step | m.CallLine, mismatch: Mismatch) -> Failure:
    source = step.source if isinstance(step, m.Step) else "call"
    return Failure(step.pos, source, mismatch.expected, mismatch.actual)


def run_scenario(driver: Driver, scenario: m.Scenario) -> ScenarioResult:
    result = ScenarioResult(scenario)
    line = scenario.call
    try:
        session = driver.place(CallSpec(line.number, line.caller, line.at, line.prompts,
                                        scenario.http,
                                        line.caller if line.extension else ""))
    except SimulationError as error:
        result.failure = _failure(line, Mismatch("the call to start", str(error)))
        return result
    except Unfollowable as error:
        result.skipped, result.skip_reason = list(scenario.steps), str(error)
        return result
    try:
        _run_steps(session, scenario.steps, result)
    finally:
        result.transcript = list(session.transcript)
        session.close()
    return result


def _run_steps(session: Session, steps: tuple[m.Step, ...], result: ScenarioResult) -> None:
    checker = Checker(session)
    for index, step in enumerate(steps):
        try:
            if isinstance(step, m.ACTIONS):
                _act(session, step)
                continue
            mismatch = checker.check(step)
        except SimulationError as error:
            mismatch = Mismatch(f"the call to take `{step.source}`", str(error))
        except Unfollowable as error:
            result.skipped.extend(steps[index:])
            result.skip_reason = f"{step.pos}: {step.source}: {error}"
            return
        except Unobservable:
            result.skipped.append(step)
            continue
        if mismatch is not None:
            result.failure = _failure(step, mismatch)
            return


def run_file(scenario_file: m.ScenarioFile, sources: Sources,
             driver_for: Callable[[Plan], Driver] = VirtualDriver, jobs: int = 1
             ) -> FileResult:
    """Build the file's plan, check the names the scenarios expect against it, then run
    every scenario on the driver made for it (the virtual one unless told otherwise),
    `jobs` of them at a time."""
    build = build_file(scenario_file.plan_path, sources)
    if build.plan is None:
        return FileResult(scenario_file, None, build.diagnostics)
    typos = unknown_names(scenario_file, build.plan)
    if typos:
        return FileResult(scenario_file, build.plan, build.diagnostics, errors=typos)
    driver = driver_for(build.plan)
    scenarios = scenario_file.scenarios
    if jobs > 1 and len(scenarios) > 1:
        with ThreadPoolExecutor(min(jobs, len(scenarios))) as pool:
            results = list(pool.map(lambda scenario: run_scenario(driver, scenario),
                                    scenarios))
    else:
        results = [run_scenario(driver, scenario) for scenario in scenarios]
    return FileResult(scenario_file, build.plan, build.diagnostics, results, list(driver.taken()))
