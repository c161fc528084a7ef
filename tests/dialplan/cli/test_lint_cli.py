"""`dialplan lint` and `dialplan show` as users and CI see them: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dialplan.cli.main import main

ROOT = Path(__file__).resolve().parents[3]
BROKEN = 'route 100 -> main\nflow main {\n  start:\n    say 42\n    goto mneu\n  menu: hangup\n}\n'


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.dialplan"
    path.write_text(BROKEN)
    return path


def test_shipped_examples_lint_clean_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(ROOT / "examples" / "dialplans")]) == 0
    assert "All checks passed" in capsys.readouterr().err


def test_syntax_error_exits_1_with_position_caret_and_summary(
        broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{broken}:4:9: E102 expected a string, but found a number `42`"
    assert out[2] == "4 |     say 42"
    assert out[3] == "  |         ^^"


def test_semantic_errors_come_with_a_did_you_mean_hint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.dialplan"
    path.write_text(BROKEN.replace("say 42", 'say "hi"'))
    assert main(["lint", "--no-source", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:5:10: E301 undefined state `mneu` in flow `main`",
        "  = hint: did you mean `menu`?",
    ]


def test_json_output_parses_and_has_the_documented_fields(
        broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "json", str(broken)]) == 1
    [entry] = json.loads(capsys.readouterr().out)
    assert entry == {
        "code": "E102", "message": "expected a string, but found a number `42`",
        "severity": "error", "file": str(broken), "line": 4, "column": 9,
        "end_line": 4, "end_column": 11, "hint": None,
    }


def test_clean_json_output_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "json", str(ROOT / "examples/dialplans/demo.dialplan")]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nope.dialplan")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "xml", "x"]) == 2
    assert main([]) == 2


def test_show_prints_the_machine_with_its_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(ROOT / "examples/dialplans/demo.dialplan")]) == 0
    out = capsys.readouterr().out
    assert "version " in out.splitlines()[0]
    assert "state menu" in out and "transfer target=\"sip:200@127.0.0.1:5070\"" in out


def test_show_json_is_the_plan_as_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--format", "json", str(ROOT / "examples/dialplans/demo.dialplan")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "Plan" and len(data["version"]) == 12
    assert [f["name"] for f in data["flows"]] == ["demo"]


def test_show_of_a_broken_plan_prints_diagnostics_and_exits_1(
        broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(broken)]) == 1
    assert "E102" in capsys.readouterr().out


def test_console_script_runs_as_a_process(broken: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dialplan", "lint", str(broken)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "E102" in result.stdout and "Traceback" not in result.stderr


def test_lint_of_a_folder_with_an_include_cycle_reports_it_and_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "self.dialplan").write_text(
        'include "self.dialplan"\nroute 1 -> main\nflow main { s: goto nowhere }\n')
    assert main(["lint", "--no-source", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert " E202 include cycle: " in out and " E301 undefined state `nowhere`" in out
    assert "All checks passed" not in err


def test_an_empty_plan_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.dialplan"
    path.write_text("")
    assert main(["lint", "--no-source", str(path)]) == 1
    assert capsys.readouterr().out.strip() == (
        f"{path}:1:1: L505 [warning] plan `{path}` has no routes and no flows\n"
        "  = hint: add a route and a flow, or include this file from a plan")


@pytest.mark.parametrize("command", ["lint", "show"])
@pytest.mark.parametrize("escape", ["\\U00110000", "\\uD800"])
def test_a_string_escape_naming_no_character_is_a_diagnostic_not_an_internal_error(
        command: str, escape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "escape.dialplan"
    path.write_text(f'route 1 -> main\nflow main {{ s: answer; say "{escape}"; hangup }}\n')
    assert main([command, str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"E104 invalid escape {escape} in string" in out
    assert "internal error" not in err


@pytest.mark.parametrize("code", ["L105", "L505", "E108", "E417"])
def test_new_codes_are_explained(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--explain", code]) == 0
    assert capsys.readouterr().out.startswith(code)


def test_show_prints_expressions_as_written_and_set_failed_branches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "share.dialplan"
    plan.write_text('route 100 -> main\nflow main {\n  s:\n'
                    '    set each = -total / number(caller) { failed -> hangup }\n'
                    '    say "{{ each }}"\n}\nset total = 10\n')
    assert main(["show", str(plan)]) == 0
    out = capsys.readouterr().out
    assert 'setvar var="each" expr=-total / number(caller) -> ' in out
    assert "[failed -> #" in out
