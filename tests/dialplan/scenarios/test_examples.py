"""Every example plan ships scenarios that pass and take every transition; a broken
copy of the demo fails, naming the step, what was expected and what happened."""

from __future__ import annotations

import shutil
from pathlib import Path

from dialplan.cli.main import main
from dialplan.scenarios import run_suite

EXAMPLES = Path("examples/dialplans")


def test_every_example_has_scenarios_that_pass_with_full_coverage():
    suite = run_suite([str(EXAMPLES)])
    outcome = suite.outcome
    assert not suite.errors and not outcome.untested
    tested = {file.file.plan_path for file in outcome.files}
    assert tested == {str(p) for p in EXAMPLES.rglob("*.dialplan") if "shared" not in p.parts}
    assert outcome.failed == 0 and all(r.passed for r in outcome.scenarios)
    for plan in outcome.coverage:
        assert plan.percent == 100.0, [plan.transitions.describe(t)
                                       for flow in plan.flows for t in flow.untaken]


def test_dialplan_test_on_the_examples_exits_0(capsys):
    assert main(["test", str(EXAMPLES), "--fail-under", "100"]) == 0
    assert "0 failed; transitions 100%" in capsys.readouterr().out


def test_a_demo_with_a_wrong_transfer_target_fails_naming_step_expected_and_actual(
        tmp_path, capsys):
    plan = (EXAMPLES / "demo.dialplan").read_text()
    (tmp_path / "demo.dialplan").write_text(plan.replace("sip:200@", "sip:201@"))
    shutil.copy(EXAMPLES / "demo.test", tmp_path / "demo.test")
    line = next(n for n, text in enumerate((tmp_path / "demo.test").read_text().splitlines(), 1)
                if "expect transfer" in text)
    assert main(["test", str(tmp_path / "demo.dialplan")]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  pressing 2 transfers to extension 200\n" in out
    assert f"demo.test:{line}:3: expect transfer \"sip:200@127.0.0.1:5070\"\n" in out
    assert "        expected: transfer \"sip:200@127.0.0.1:5070\"\n" in out
    assert "        actual:   transfer \"sip:201@127.0.0.1:5070\"\n" in out
    assert "2 failed" in out
