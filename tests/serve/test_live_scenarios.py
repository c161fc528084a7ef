"""The demo's scenarios over real SIP: `dialplan serve` on a copy of the demo, and the
live driver calling it, one caller engine process per scenario, four at a time.

The transfer target in the copies (the plan and its scenarios alike) is moved from
127.0.0.1:5070 to a free port where a SIPp UAS answers, so a transfer really
completes; nothing else changes. The far end decides a transfer's outcome, so the
scenario that wants it to fail is followed up to the REFER and then skipped with the
reason. Every process (service, UAS, callers) is bounded in time and killed at the
end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dialplan.compiler.plan import Plan
from dialplan.scenarios.report import Outcome, format_text_report
from dialplan.scenarios.run import ScenarioResult
from dialplan.scenarios.suite import run_suite
from dialplan.serve.live_driver import LiveDriver
from tests.engine.support import free_port_block
from tests.serve.harness import ROOT, Server
from tests.serve.uas import answer_then_hang_up

pytestmark = pytest.mark.timeout(120)

DEMO = ROOT / "examples/dialplans"
TARGET = "127.0.0.1:5070"
RAN_IN_FULL = ["pressing 1 says goodbye and hangs up", "pressing 2 transfers to extension 200",
               "a wrong key is explained and the menu repeats", "silence three times hangs up",
               "the caller may hang up in the menu"]


@dataclass
class Live:
    server: Server
    workdir: Path
    tests: Path  # the copy of demo.test

    def driver(self, plan: Plan) -> LiveDriver:
        return LiveDriver(plan, f"127.0.0.1:{self.server.sip_port}",
                          f"http://127.0.0.1:{self.server.admin_port}")


def _target_uas(workdir: Path) -> tuple[subprocess.Popen[str], int]:
    """A SIPp UAS that answers the transfers (two calls at most, 90 s at most)."""
    port, media = free_port_block(1), free_port_block(4)
    scenario = workdir / "target.xml"
    scenario.write_text(answer_then_hang_up(ring_ms=100, hold_ms=2000))
    process = subprocess.Popen(
        ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(port), "-mi", "127.0.0.1",
         "-mp", str(media), "-m", "2", "-timeout", "90s", "-nostdin"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    return process, port


def _server(folder: Path, workdir: Path, tries: int = 3) -> Server:
    """A service; tried again on new ports if one was taken meanwhile."""
    for attempt in range(1, tries + 1):
        try:
            return Server(folder, workdir)
        except RuntimeError as error:
            if "already in use" not in str(error) or attempt == tries:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    workdir = tmp_path_factory.mktemp("live")
    folder = workdir / "plans"
    folder.mkdir()
    uas, port = _target_uas(workdir)
    try:
        for name in ("demo.dialplan", "demo.test"):
            text = (DEMO / name).read_text().replace(TARGET, f"127.0.0.1:{port}")
            (folder / name).write_text(text)
        server = _server(folder, workdir)
        try:
            yield Live(server, workdir, folder / "demo.test")
        finally:
            server.stop()
    finally:
        uas.kill()
        uas.wait(5)


Run = tuple[Outcome, list[LiveDriver], float]  # what ran, its drivers, how long it took


@pytest.fixture(scope="module")
def run(live: Live) -> Run:
    drivers: list[LiveDriver] = []

    def driver_for(plan: Plan) -> LiveDriver:
        drivers.append(live.driver(plan))
        return drivers[-1]

    started = time.monotonic()
    suite = run_suite([str(live.tests)], driver_for, jobs=4)
    assert not suite.errors
    return suite.outcome, drivers, time.monotonic() - started


def _results(outcome: Outcome) -> dict[str, ScenarioResult]:
    return {result.scenario.name: result for result in outcome.scenarios}


def test_the_demo_scenarios_pass_over_real_sip(run: Run) -> None:
    outcome, _, seconds = run
    assert outcome.failed == 0, format_text_report(outcome, {}, detail=False)
    assert len(outcome.scenarios) == 6
    assert seconds < 60


def test_the_goodbye_transfer_and_no_input_paths_run_in_full(run: Run) -> None:
    results = _results(run[0])
    for name in RAN_IN_FULL:
        assert results[name].skipped == [], (name, results[name].skip_reason)


def test_what_the_caller_perceived_came_from_the_wire_and_the_trace(run: Run) -> None:
    results = _results(run[0])
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
    failed = _results(run[0])["a failed transfer is announced, then goodbye"]
    assert failed.passed
    if failed.skipped:
        assert failed.skipped[0].source == "outcome fail"
        assert "gave `answer`, not `fail`" in failed.skip_reason


def test_coverage_comes_from_the_service_traces(run: Run) -> None:
    (plan,) = run[0].coverage
    assert plan.taken >= 12  # all but the failed transfer's two edges, at least


def test_every_caller_process_ended_and_the_service_is_idle(run: Run, live: Live) -> None:
    _, drivers, _ = run
    sessions = [s for d in drivers for s in d.sessions]
    assert len(sessions) == 6 and all(s.caller is None for s in sessions)
    deadline = time.monotonic() + 10
    while live.server.admin("/calls") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert live.server.admin("/calls") == []
    assert "calls_failed_total" not in str(live.server.admin("/metrics"))


def test_the_cli_runs_scenarios_live_and_fails_on_what_the_wire_contradicts(live: Live) -> None:
    scenarios = live.workdir / "plans" / "cli.test"
    scenarios.write_text('plan "demo.dialplan"\n'
                         'scenario "hears the welcome" { call 100 expect hear containing "Welcome"'
                         ' hang up }\n'
                         'scenario "hears a greeting it does not have" { call 100'
                         ' expect hear "Hello." }\n')
    command = [sys.executable, "-m", "dialplan", "test", str(scenarios), "--format", "json",
               "--live", f"127.0.0.1:{live.server.sip_port}", "--jobs", "2",
               "--admin", f"http://127.0.0.1:{live.server.admin_port}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    (file,) = json.loads(done.stdout)["files"]
    passed = {s["name"]: s["passed"] for s in file["scenarios"]}
    assert passed == {"hears the welcome": True, "hears a greeting it does not have": False}
    failure = file["scenarios"][1]["failure"]
    assert failure["expected"] == 'to hear "Hello."'
    assert "Welcome to the dialplan demo." in failure["actual"]
