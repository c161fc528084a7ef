"""The VS Code extension's TextMate grammar, run by the npm grammar test runner
(`vscode-tmgrammar-test`, installed in editors/vscode by `make setup`): the scope
assertions of editors/vscode/tests/grammar.dialplan, and every example plan tokenised
as its pinned snapshot in editors/vscode/tests/snap/."""

from __future__ import annotations

import subprocess

import pytest

from .session import ROOT

EXTENSION = ROOT / "editors" / "vscode"
RUNNERS = EXTENSION / "node_modules" / ".bin"
EXAMPLES = sorted((ROOT / "examples").rglob("*.dialplan"))

needs_runner = pytest.mark.skipif(not (RUNNERS / "vscode-tmgrammar-test").exists(),
                                  reason="npm packages not installed: make setup")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=EXTENSION, capture_output=True, text=True, timeout=120)


@needs_runner
def test_each_kind_of_token_gets_its_scope() -> None:
    result = _run(str(RUNNERS / "vscode-tmgrammar-test"), "-g",
                  "syntaxes/dialplan.tmLanguage.json", "tests/*.dialplan")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_runner
def test_every_example_tokenises_as_its_pinned_snapshot() -> None:
    snapshots = {p.name for p in (EXTENSION / "tests" / "snap").glob("*.snap")}
    names = {"_".join(p.relative_to(ROOT / "examples").parts) + ".snap" for p in EXAMPLES}
    assert names == snapshots
    result = _run("sh", "scripts/snapshots.sh")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("run successfully") == len(EXAMPLES)
