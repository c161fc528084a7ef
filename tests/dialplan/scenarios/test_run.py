"""The scenario runner on fixtures: passing, failing and unreadable scenario files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from dialplan.build import build_file
from dialplan.loader import Sources
from dialplan.scenarios import ScenarioError, parse_scenarios, read_scenarios, run_suite
from dialplan.scenarios.run import run_file, run_scenario
from dialplan.sim.driver import CallSpec, Unobservable, VirtualDriver

FIXTURES = Path(__file__).parent / "fixtures"


def run(name: str):
    return run_file(read_scenarios(str(FIXTURES / name)), Sources())


def test_scenarios_that_hold_pass_and_report_what_they_covered():
    result = run("pass.test")
    assert [r.passed for r in result.results] == [True] * 4
    assert result.taken


def test_a_failing_step_is_named_with_its_position_expected_and_actual():
    passes, wrong_words, _ = run("fail.test").results
    assert passes.passed
    failure = wrong_words.failure
    assert failure is not None
    assert failure.step == 'expect hear "Code 24 accepted."'
    assert (failure.pos.line, failure.pos.column) == (12, 3)
    assert failure.pos.path.endswith("fail.test")
    assert failure.expected == 'to hear "Code 24 accepted."'
    assert failure.actual == 'says "Enter your code."; says "Code 42 accepted."'


def test_an_action_that_does_not_fit_the_call_fails_its_step():
    failure = run("fail.test").results[2].failure
    assert failure is not None and failure.step == "outcome answer"
    assert "nothing is pending" in failure.actual


def test_a_scenario_stops_at_its_first_failure():
    result = run("fail.test").results[1]
    assert result.failure is not None and result.failure.step.startswith("expect hear")


def test_an_unparsable_scenario_file_is_a_positioned_error():
    with pytest.raises(ScenarioError) as caught:
        read_scenarios(str(FIXTURES / "bad.test"))
    assert caught.value.pos.line == 5 and "presss" in caught.value.message


def test_a_scenario_file_without_its_plan_is_reported_by_discovery(tmp_path):
    (tmp_path / "lost.test").write_text('scenario "s" { call 1 }')
    suite = run_suite([str(tmp_path)])
    assert [e.message for e in suite.errors] == [
        f"no plan {tmp_path}/lost.dialplan: name it with `plan \"FILE\"` or put it beside"]


def test_a_plan_that_does_not_compile_fails_with_its_diagnostics(tmp_path):
    (tmp_path / "p.dialplan").write_text("route 1 -> nowhere")
    (tmp_path / "p.test").write_text('scenario "s" { call 1 }')
    suite = run_suite([str(tmp_path)])
    (file,) = suite.outcome.files
    assert file.plan is None and file.diagnostics[0].code == "E302"
    assert suite.outcome.failed == 1


def test_a_plan_in_a_folder_without_scenarios_is_listed_as_untested(tmp_path):
    (tmp_path / "p.dialplan").write_text('route 1 -> f  flow f { s: say "x" }')
    assert run_suite([str(tmp_path)]).outcome.untested == [f"{tmp_path}/p.dialplan"]


class BlindDriver(VirtualDriver):
    """A driver that, like one over SIP, cannot see states or variables."""

    def place(self, spec: CallSpec):
        call = super().place(spec)

        class Blind(type(call)):  # type: ignore[misc]
            @property
            def states_reached(self) -> Sequence[str]:
                raise Unobservable("states")

        call.__class__ = Blind
        return call


def test_expectations_a_driver_cannot_observe_are_skipped_not_failed():
    scenario_file = read_scenarios(str(FIXTURES / "pass.test"))
    plan = build_file(scenario_file.plan_path).plan
    assert plan is not None
    text = 'plan "greeting.dialplan" scenario "s" { call 100 expect state greeting.start ' \
           'press 42 expect hear "Code 42 accepted." }'
    scenario = parse_scenarios(text, str(FIXTURES / "x.test")).scenarios[0]
    result = run_scenario(BlindDriver(plan), scenario)
    assert result.passed and [s.source for s in result.skipped] == [
        "expect state greeting.start"]


def test_a_suite_can_run_on_another_driver():
    suite = run_suite([str(FIXTURES / "pass.test")], driver_for=BlindDriver)
    assert all(result.passed for result in suite.outcome.scenarios)


SHARE_PLAN = """route 100 -> main
set account.total = 120.5
flow main {
  start:
    answer
    collect people "How many people?" digits 1..2 {
      ok -> goto share
      exhausted -> hangup
    }
  share:
    set account.each = account.total / number(people) {
      failed -> say "Nobody to share with."; hangup
    }
    set account.change = -account.each
    say "That is {{ account.each }} each."
    hangup
}
"""

SHARE_TESTS = """scenario "shared by two" {
  call 100 prompts instant
  press "2#"
  expect var account.each = 60.25
  expect var account.change = -60.25
  expect hear "That is 60.25 each."
}
scenario "shared by nobody takes the failed branch" {
  call 100 prompts instant
  press "0#"
  expect hear "Nobody to share with."
  expect hangup
}
"""


def test_arithmetic_its_failed_branch_and_dotted_variables_in_scenarios(tmp_path):
    (tmp_path / "share.dialplan").write_text(SHARE_PLAN)
    (tmp_path / "share.test").write_text(SHARE_TESTS)
    suite = run_suite([str(tmp_path)])
    (file,) = suite.outcome.files
    assert [r.passed for r in file.results] == [True, True], [r.failure for r in file.results]
    assert "failed" in {transition.label for transition in file.taken}  # counted in coverage
