"""The demo's scenarios over real SIP: `dialplan serve` on a copy of the demo, and the
live driver calling it, one caller engine process per scenario, four at a time.

The transfer target in the copies (the plan and its scenarios alike) is moved from
127.0.0.1:5070 to a free port where a SIPp UAS takes the transferred call; nothing
else changes. The far end decides a transfer's outcome, not the caller, so there are
two sites: at the main one the UAS answers, and every scenario runs there; the
scenario whose transfer fails is followed up to the REFER and skipped at `outcome
fail`, with the reason. At the second site the UAS refuses (503), and that scenario
runs in full. Every process (services, UASes, callers) is bounded in time and killed
at the end.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from dialplan.build import build_file
from dialplan.live.driver import LiveDriver
from dialplan.plan import Plan
from dialplan.scenarios import read_scenarios
from dialplan.scenarios.report import Outcome, format_text_report
from dialplan.scenarios.run import ScenarioResult, run_scenario
from dialplan.scenarios.suite import run_suite
from tests.engine.support import free_port_block
from tests.support.harness import ROOT, Server
from tests.support.uas import answer_then_hang_up, busy, prewarm

pytestmark = pytest.mark.timeout(120)

DEMO = ROOT / "examples/dialplans"
TARGET = "127.0.0.1:5070"
FAILED_TRANSFER = "a failed transfer is announced, then goodbye"
RAN_IN_FULL = ["pressing 1 says goodbye and hangs up", "pressing 2 transfers to extension 200",
               "a wrong key is explained and the menu repeats", "silence three times hangs up",
               "the caller may hang up in the menu"]


@dataclass
class Site:
    """A service on a copy of the demo whose transfer target is a SIPp UAS."""

    server: Server
    workdir: Path
    tests: Path  # the copy of demo.test

    def driver(self, plan: Plan) -> LiveDriver:
        return LiveDriver(plan, f"127.0.0.1:{self.server.sip_port}",
                          f"http://127.0.0.1:{self.server.admin_port}",
                          self.server.tokens["operator"])


def _target_uas(workdir: Path, scenario: str) -> tuple[subprocess.Popen[str], int]:
    """A SIPp UAS for the transferred calls (two at most, 90 s at most)."""
    port, media = free_port_block(1), free_port_block(4)
    path = workdir / "target.xml"
    path.write_text(scenario)
    process = subprocess.Popen(
        ["sipp", "-sf", str(path), "-i", "127.0.0.1", "-p", str(port), "-mi", "127.0.0.1",
         "-mp", str(media), "-m", "2", "-timeout", "90s", "-nostdin"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    return process, port


def _server(folder: Path, workdir: Path, tries: int = 3) -> Server:
    """A service, its prompts rendered first (an espeak-ng render comes out empty now
    and then); tried again on new ports if one was taken meanwhile."""
    prewarm(folder, workdir)
    for attempt in range(1, tries + 1):
        try:
            return Server(folder, workdir)
        except RuntimeError as error:
            if "already in use" not in str(error) or attempt == tries:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def _site(workdir: Path, target: str) -> Iterator[Site]:
    folder = workdir / "plans"
    folder.mkdir()
    uas, port = _target_uas(workdir, target)
    try:
        for name in ("demo.dialplan", "demo.test"):
            text = (DEMO / name).read_text().replace(TARGET, f"127.0.0.1:{port}")
            (folder / name).write_text(text)
        server = _server(folder, workdir)
        try:
            yield Site(server, workdir, folder / "demo.test")
        finally:
            server.stop()
    finally:
        uas.kill()
        uas.wait(5)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Site]]:
    """(where transfers are answered, where they are refused with 503)."""
    refuse = busy().replace("486 Busy Here", "503 Service Unavailable")
    with _site(tmp_path_factory.mktemp("answering"), answer_then_hang_up(100, 2000)) as a, \
            _site(tmp_path_factory.mktemp("refusing"), refuse) as b:
        yield a, b


@pytest.fixture
def live(sites: tuple[Site, Site]) -> Site:
    return sites[0]


@dataclass
class Run:
    outcome: Outcome  # every demo scenario, where transfers are answered
    refused: ScenarioResult  # the failed-transfer scenario, where they are refused
    drivers: list[LiveDriver]
    seconds: float
    cli: dict[str, tuple[int, str, str]]  # `dialplan test --live` runs: exit, out, err


CLI_SCENARIOS = (
    'plan "demo.dialplan"\n'
    'scenario "hears the welcome" { call 100 expect hear containing "Welcome" hang up }\n'
    'scenario "hears a greeting it does not have" { call 100 expect hear "Hello." }\n')
WIRE_ONLY = ["pressing 1 says goodbye and hangs up", "the caller may hang up in the menu"]


def _demo_scenarios(site: Site, names: list[str]) -> str:
    """These scenarios of the site's demo.test, as they are written there."""
    blocks = site.tests.read_text().split("\nscenario ")
    return 'plan "demo.dialplan"\n' + "".join(
        f"\nscenario {b}" for b in blocks[1:] if b.split('"')[1] in names)


def _cli(site: Site, name: str, text: str, admin: bool, jobs: int) -> subprocess.Popen[str]:
    """`dialplan test --live` on a scenario file beside the site's demo, in the background."""
    path = site.tests.parent / f"{name}.test"
    path.write_text(text)
    command = [sys.executable, "-m", "dialplan", "test", str(path), "--format", "json",
               "--live", f"127.0.0.1:{site.server.sip_port}", "--jobs", str(jobs)]
    if admin:
        command += ["--admin", f"http://127.0.0.1:{site.server.admin_port}",
                    "--admin-token", str(site.workdir / "admin" / "operator.token")]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


def _run_one(site: Site, name: str, drivers: list[LiveDriver]) -> ScenarioResult:
    scenario_file = read_scenarios(str(site.tests))
    plan = build_file(scenario_file.plan_path).plan
    assert plan is not None
    drivers.append(site.driver(plan))
    scenario = next(s for s in scenario_file.scenarios if s.name == name)
    return run_scenario(drivers[-1], scenario)


@pytest.fixture(scope="module")
def run(sites: tuple[Site, Site]) -> Run:
    answering, refusing = sites
    drivers: list[LiveDriver] = []

    def driver_for(plan: Plan) -> LiveDriver:
        drivers.append(answering.driver(plan))
        return drivers[-1]

    started = time.monotonic()
    # At the refusing site, beside its one scenario (4 calls at most): the CLI, with
    # the service's trace and without (the wire alone).
    cli = {"trace": _cli(refusing, "cli", CLI_SCENARIOS, admin=True, jobs=2),
           "wire": _cli(refusing, "wire", _demo_scenarios(refusing, WIRE_ONLY), False, 1)}
    try:
        with ThreadPoolExecutor(1) as pool:
            refused = pool.submit(_run_one, refusing, FAILED_TRANSFER, drivers)
            suite = run_suite([str(answering.tests)], driver_for, jobs=4)
            result = refused.result(timeout=60)
        seconds = time.monotonic() - started
    finally:
        done = {name: _finish(process) for name, process in cli.items()}
    assert not suite.errors
    return Run(suite.outcome, result, drivers, seconds, done)


def _results(outcome: Outcome) -> dict[str, ScenarioResult]:
    return {result.scenario.name: result for result in outcome.scenarios}


def test_the_demo_scenarios_pass_over_real_sip(run: Run) -> None:
    assert run.outcome.failed == 0, format_text_report(run.outcome, {}, detail=False)
    assert len(run.outcome.scenarios) == 6
    assert run.seconds < 60


def test_the_goodbye_transfer_and_no_input_paths_run_in_full(run: Run) -> None:
    results = _results(run.outcome)
    for name in RAN_IN_FULL:
        assert results[name].skipped == [], (name, results[name].skip_reason)


def test_what_the_caller_perceived_came_from_the_wire_and_the_trace(run: Run) -> None:
    results = _results(run.outcome)
    goodbye = [str(i) for i in results["pressing 1 says goodbye and hangs up"].transcript]
    assert goodbye == ["answers", 'says "Welcome to the dialplan demo."',
                       'says "Press 1 to hear goodbye. Press 2 to be transferred."',
                       'says "Goodbye."', "hangs up (normal)"]
    transfer = [str(i) for i in results["pressing 2 transfers to extension 200"].transcript]
    assert any(item.startswith('transfer "sip:200@127.0.0.1:') for item in transfer)
    assert transfer[-1] == "hangs up (normal)"
    silent = [str(i) for i in results["silence three times hangs up"].transcript]
    assert silent.count('says "Press 1 to hear goodbye. Press 2 to be transferred."') == 3


def test_an_outcome_the_far_end_did_not_give_skips_the_rest_with_the_reason(run: Run) -> None:
    failed = _results(run.outcome)[FAILED_TRANSFER]
    assert failed.passed and failed.skipped[0].source == "outcome fail"
    assert "on the wire the transfer gave `answer`, not `fail`" in failed.skip_reason


def test_where_the_far_end_refuses_the_failed_transfer_runs_in_full(run: Run) -> None:
    refused = run.refused
    assert refused.passed and refused.skipped == [], refused.skip_reason
    assert [str(i) for i in refused.transcript][-3:] == [
        'says "The transfer failed."', 'says "Goodbye."', "hangs up (normal)"]


def test_coverage_comes_from_the_service_traces(run: Run) -> None:
    (plan,) = run.outcome.coverage
    assert (plan.taken, plan.total) == (12, 14)  # all but the failed transfer's two edges


def test_every_caller_process_ended_and_the_services_are_idle(
        run: Run, sites: tuple[Site, Site]) -> None:
    sessions = [s for d in run.drivers for s in d.sessions]
    assert len(sessions) == 7 and all(s.caller is None for s in sessions)
    for site in sites:
        site.server.wait_calls(0)
        assert "calls_failed_total" not in str(site.server.admin("/metrics"))


def test_the_cli_runs_scenarios_live_and_fails_on_what_the_wire_contradicts(run: Run) -> None:
    code, out, err = run.cli["trace"]
    assert code == 1, err
    (file,) = json.loads(out)["files"]
    passed = {s["name"]: s["passed"] for s in file["scenarios"]}
    assert passed == {"hears the welcome": True, "hears a greeting it does not have": False}, out
    failure = file["scenarios"][1]["failure"]
    assert failure["expected"] == 'to hear "Hello."'
    assert "Welcome to the dialplan demo." in failure["actual"]


def test_without_the_trace_the_wire_alone_is_checked_and_the_rest_skipped(run: Run) -> None:
    code, out, err = run.cli["wire"]
    assert code == 0, out + err
    (file,) = json.loads(out)["files"]
    scenarios = {s["name"]: s for s in file["scenarios"]}
    assert sorted(scenarios) == sorted(WIRE_ONLY)
    goodbye, hang_up = (scenarios[name] for name in WIRE_ONLY)
    assert goodbye["transcript"] == ["answers", "hangs up (normal)"]
    assert hang_up["transcript"] == ["answers", "caller hung up"]
    assert goodbye["skipped"][-1] == 'expect hear "Goodbye."'
    assert hang_up["skipped"] == ['expect hear containing "Press 1"', "expect silence"]


def test_a_calls_trace_and_log_lines_carry_its_sip_call_id(run: Run, live: Site) -> None:
    driver = next(d for d in run.drivers if d.service.address.endswith(f":{live.server.sip_port}"))
    session = driver.sessions[0]
    assert session.trace is not None
    sip_call_id = session.trace["sip_call_id"]
    trace = live.server.admin(f"/trace?sip_call_id={quote(sip_call_id)}")
    assert isinstance(trace, dict) and trace["records"] == session.trace["records"]
    assert f'"sip_call_id": "{sip_call_id}"' in live.server.log_text()
