"""A scenario (and the simulator) can call from a registered phone: `call 300 from
extension 201` reaches the plan with `caller.extension` and `caller.authenticated` set,
so routing on who calls is testable without a registrar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dialplan.loader import Sources
from dialplan.scenarios import parse_scenarios
from dialplan.scenarios.run import run_file

PLAN = """route 300 -> outside
flow outside {
  start:
    answer
    if caller.authenticated {
      say "Extension {{ caller.extension }} may call out."
    } else {
      say "Only the office's phones may call out."
    }
    hangup
}
"""
SCENARIOS = """plan "outside.dialplan"
scenario "a registered phone may call out" {
  call 300 from extension 201
  expect hear "Extension 201 may call out."
  expect var caller.extension = "201"
}
scenario "a stranger with the same number may not" {
  call 300 from 201
  expect hear "Only the office's phones may call out."
  expect var caller.authenticated = false
}
"""


def test_a_scenario_calls_from_an_authenticated_extension(tmp_path: Path) -> None:
    (tmp_path / "outside.dialplan").write_text(PLAN)
    path = tmp_path / "outside.test"
    path.write_text(SCENARIOS)
    result = run_file(parse_scenarios(SCENARIOS, str(path)), Sources())
    assert [r.passed for r in result.results] == [True, True], [
        r.failure for r in result.results]


def test_the_simulator_calls_from_an_extension(tmp_path: Path) -> None:
    plan = tmp_path / "outside.dialplan"
    plan.write_text(PLAN)
    done = subprocess.run([sys.executable, "-m", "dialplan", "simulate", str(plan),
                           "--extension", "201"], input="quit\n", capture_output=True,
                          text=True, timeout=60, check=False)
    assert "from extension 201" in done.stdout
    assert 'says "Extension 201 may call out."' in done.stdout
