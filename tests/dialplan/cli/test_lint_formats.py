"""`dialplan lint` output formats, --explain, --statistics, configuration and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.lint.registry import RULES

UNUSED = 'route 100 -> main\nflow main { s: hangup }\nflow forgotten { s: hangup }\n'
INFO_ONLY = 'route 100 -> main\nflow main { s: set x = 1; hangup }\n'


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.dialplan"
    path.write_text(UNUSED)
    return path


def test_warning_exits_1_and_names_the_rule(plan: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    assert main(["lint", "--no-source", str(plan)]) == 1
    assert capsys.readouterr().out.strip() == (
        f"{plan}:3:6: L501 [warning] flow `forgotten` is never used")


def test_info_findings_are_shown_but_exit_0(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "info.dialplan"
    path.write_text(INFO_ONLY)
    assert main(["lint", str(path)]) == 0
    assert "L504 [info]" in capsys.readouterr().out


def test_json_schema(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--format", "json", str(plan)])
    [entry] = json.loads(capsys.readouterr().out)
    assert set(entry) == {"code", "message", "severity", "file", "line", "column", "end_line",
                          "end_column", "hint"}
    assert (entry["code"], entry["severity"], entry["line"]) == ("L501", "warning", 3)


def test_github_annotations(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--format", "github", str(plan)])
    assert capsys.readouterr().out.strip() == (
        f"::warning file={plan},line=3,col=6,endLine=3,endColumn=15,title=L501::"
        "flow `forgotten` is never used")


def test_sarif_is_valid_shape(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--format", "sarif", str(plan)])
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "L501" and result["level"] == "warning"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 6)
    ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {"E301", "L501"} <= ids


def test_statistics_counts_per_code(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--statistics", str(plan)])
    assert "    1  L501" in capsys.readouterr().err


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_explains_what_why_and_example(rule, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["lint", "--explain", rule.code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{rule.code} ({rule.name})")
    assert "What it does" in out and "Why is this bad?" in out and "Example" in out


def test_explain_knows_compiler_codes_and_rejects_unknown_ones(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--explain", "E301"]) == 0
    assert main(["lint", "--explain", "X999"]) == 2


def test_select_and_ignore_on_the_command_line(plan: Path) -> None:
    assert main(["lint", "--ignore", "L501", str(plan)]) == 0
    assert main(["lint", "--select", "E", str(plan)]) == 0
    assert main(["lint", "--select", "L5", str(plan)]) == 1


def test_config_file_ignores_and_regrades(tmp_path: Path, plan: Path) -> None:
    config = tmp_path / "dialplan.toml"
    config.write_text('[lint]\nignore = ["L501"]\n')
    assert main(["lint", str(plan)]) == 0  # found next to the plan
    config.write_text('[lint.severity]\nL501 = "info"\n')
    assert main(["lint", str(plan)]) == 0


def test_bad_config_exits_2(tmp_path: Path, plan: Path, capsys: pytest.CaptureFixture[str]
                            ) -> None:
    (tmp_path / "dialplan.toml").write_text('[lint]\nignore = "L501"\n')
    assert main(["lint", str(plan)]) == 2
    assert "must be a list of strings" in capsys.readouterr().err


def test_lint_without_paths_exits_2() -> None:
    assert main(["lint"]) == 2
