"""The runner with drivers that, like the live one, cannot see or do everything, and
`dialplan test --live` usage errors; no SIP here (tests/dialplan/live/test_live_scenarios.py
runs the live driver for real)."""

from __future__ import annotations

from pathlib import Path

from dialplan.build import build_file
from dialplan.cli.main import main
from dialplan.loader import Sources
from dialplan.scenarios import parse_scenarios, read_scenarios
from dialplan.scenarios.run import run_file, run_scenario
from dialplan.sim.call import VirtualCall
from dialplan.sim.driver import CallSpec, Unfollowable, VirtualDriver

FIXTURES = Path(__file__).parent / "fixtures"


class FarEndDecides(VirtualDriver):
    """Like the live driver: an outcome other than `fail` is not what the far end gave;
    a call `at` a given time cannot be placed; hearing cannot be observed."""

    def place(self, spec: CallSpec) -> VirtualCall:
        if spec.at is not None:
            raise Unfollowable("a live call happens now")
        call = super().place(spec)

        class Live(VirtualCall):
            unobservable = frozenset({"hear"})

            def choose(self, outcome: str) -> list:  # type: ignore[type-arg]
                if outcome != "fail":
                    raise Unfollowable(f"the far end gave `fail`, not `{outcome}`")
                return super().choose(outcome)

        call.__class__ = Live
        return call


def _scenario(steps: str):  # type: ignore[no-untyped-def]
    text = f'plan "greeting.dialplan" scenario "s" {{ {steps} }}'
    return parse_scenarios(text, str(FIXTURES / "x.test")).scenarios[0]


def _plan():  # type: ignore[no-untyped-def]
    plan = build_file(str(FIXTURES / "greeting.dialplan")).plan
    assert plan is not None
    return plan


def test_an_unfollowable_step_skips_the_rest_of_the_scenario_with_the_reason() -> None:
    scenario = _scenario('call 100 press 42 expect transfer "sip:42@pbx.example" '
                         'outcome answer expect hangup')
    result = run_scenario(FarEndDecides(_plan()), scenario)
    assert result.passed
    assert [s.source for s in result.skipped] == ["outcome answer", "expect hangup"]
    assert result.skip_reason.endswith(": outcome answer: the far end gave `fail`, not `answer`")


def test_unobservable_expectations_are_skipped_one_by_one_and_the_rest_still_checked() -> None:
    scenario = _scenario('call 100 press 42 expect hear "Code 42 accepted." '
                         'expect transfer "sip:41@pbx.example"')
    result = run_scenario(FarEndDecides(_plan()), scenario)
    assert [s.source for s in result.skipped] == ['expect hear "Code 42 accepted."']
    assert result.failure is not None and result.failure.step.startswith("expect transfer")


def test_a_call_that_cannot_be_placed_skips_the_whole_scenario() -> None:
    scenario = _scenario('call 100 at "2026-12-24 09:30 Europe/Berlin" press 42')
    result = run_scenario(FarEndDecides(_plan()), scenario)
    assert result.passed and [s.source for s in result.skipped] == ["press 42"]
    assert result.skip_reason == "a live call happens now"


def test_scenarios_run_side_by_side_report_in_file_order() -> None:
    scenario_file = read_scenarios(str(FIXTURES / "pass.test"))
    alone = run_file(scenario_file, Sources())
    together = run_file(scenario_file, Sources(), jobs=4)
    assert [r.scenario.name for r in together.results] == \
        [r.scenario.name for r in alone.results]
    assert [r.passed for r in together.results] == [True] * 4
    assert sorted(together.taken) == sorted(alone.taken)


def test_live_options_without_live_are_a_usage_error(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["test", str(FIXTURES / "pass.test"), "--admin", "http://127.0.0.1:8089"]) == 2
    assert "--admin and --jobs go with --live" in capsys.readouterr().err
    assert main(["test", str(FIXTURES / "pass.test"), "--live", "127.0.0.1:5060",
                 "--jobs", "0"]) == 2
