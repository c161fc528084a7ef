"""`dialplan test`: output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from dialplan.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_all_passing_exits_0_and_prints_pass_lines_and_coverage(capsys):
    assert main(["test", str(FIXTURES / "pass.test")]) == 0
    out = capsys.readouterr().out
    assert "  PASS  a code is read back and transferred to" in out
    assert "coverage " in out and "greeting.dialplan: " in out
    assert out.rstrip().endswith("4 scenario(s): 4 passed, 0 failed; transitions 100% (8/8)")


def test_a_failure_exits_1(capsys):
    assert main(["test", str(FIXTURES / "fail.test")]) == 1
    assert "2 failed" in capsys.readouterr().out


def test_a_bad_scenario_file_exits_2_pointing_at_the_mistake(capsys):
    assert main(["test", str(FIXTURES / "bad.test")]) == 2
    err = capsys.readouterr().err
    assert "bad.test:5:3: error: expected" in err and "presss 1" in err and "  ^" in err


def test_a_missing_path_exits_2(capsys):
    assert main(["test", "no/such/dir"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_json_output_has_scenarios_failures_and_coverage(capsys):
    assert main(["test", str(FIXTURES / "fail.test"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    failures = [s["failure"] for f in data["files"] for s in f["scenarios"] if s["failure"]]
    assert failures[0]["step"] == 'expect hear "Code 24 accepted."'
    assert (failures[0]["line"], failures[0]["column"]) == (12, 3)
    assert set(failures[0]) == {"step", "file", "line", "column", "expected", "actual"}
    assert data["summary"]["failed"] == 2 and data["coverage"][0]["flows"][0]["flow"] == "greeting"


def test_coverage_detail_lists_transitions_not_taken_and_fail_under_fails(capsys):
    assert main(["test", str(FIXTURES / "fail.test"), "--coverage", "--fail-under", "90"]) == 1
    out = capsys.readouterr().out
    assert "  flow greeting: " in out
    assert "not taken: " in out and "collect [exhausted] -> say" in out


def test_a_plan_path_runs_the_scenario_file_beside_it(capsys, tmp_path):
    (tmp_path / "p.dialplan").write_text('route 1 -> f  flow f { s: say "x" }')
    (tmp_path / "p.test").write_text('scenario "s" { call 1 expect hear "x" }')
    assert main(["test", str(tmp_path / "p.dialplan")]) == 0
    assert "PASS  s" in capsys.readouterr().out


def test_a_misspelt_state_or_queue_is_an_error_before_anything_runs(tmp_path, capsys):
    (tmp_path / "greeting.dialplan").write_text((FIXTURES / "greeting.dialplan").read_text())
    (tmp_path / "typo.test").write_text(
        'plan "greeting.dialplan"\nscenario "typo" {\n  call 100\n  expect state greeting.strat\n'
        "  expect queue suport\n}\n")
    assert main(["test", str(tmp_path / "typo.test")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no scenario ran
    err = captured.err
    assert ("typo.test:4:16: error: the plan has no state `greeting.strat`; "
            "did you mean `greeting.start`?") in err
    assert "typo.test:5:3: error: the plan has no queue `suport`" in err
    assert "4 |   expect state greeting.strat\n  |                ^\n" in err
