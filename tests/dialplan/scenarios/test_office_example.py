"""The office example (examples/office, what `make run` serves): its scenarios pass and
take every transition, it is lint-clean, and against a directory holding the demo
extensions neither L705 nor L706 finds anything (its route `_2XX` dials what was called)."""

from __future__ import annotations

import shutil
from pathlib import Path

from dialplan.cli.main import main
from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from dialplan.scenarios import run_suite

OFFICE = Path("examples/office")


def test_the_office_scenarios_pass_with_full_coverage() -> None:
    suite = run_suite([str(OFFICE)])
    assert not suite.errors and not suite.outcome.untested
    assert [f.file.plan_path for f in suite.outcome.files] == [str(OFFICE / "office.dialplan")]
    assert suite.outcome.failed == 0
    assert [plan.percent for plan in suite.outcome.coverage] == [100.0]


def test_the_office_is_lint_clean_against_its_demo_extensions(tmp_path, capsys) -> None:
    shutil.copytree(OFFICE, tmp_path / "office", ignore=shutil.ignore_patterns("var"))
    shutil.copytree("examples/dialplans", tmp_path / "dialplans")
    url = sqlite_url(tmp_path / "office" / "var" / "dialplan.db")
    upgrade(url)
    directory = open_directory(url, "office")
    for number in ("201", "202"):
        directory.add(Extension(number), "a-long-password")
    directory.close()
    assert main(["lint", str(tmp_path / "office")]) == 0, capsys.readouterr().out
