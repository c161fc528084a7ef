"""A real editor: headless Neovim's built-in LSP client attaches to `dialplan lsp` on
an example with mistakes and reports what `dialplan lint` reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .session import ROOT

SCRIPT = Path(__file__).with_name("nvim_diagnostics.lua")
EXAMPLE = ROOT / "examples" / "dialplans" / "support_line.dialplan"


def _lint(path: Path) -> list[dict[str, object]]:
    result = subprocess.run([sys.executable, "-m", "dialplan", "lint", "--format", "json",
                             path.name], capture_output=True, text=True, cwd=path.parent)
    keys = ("code", "line", "column", "end_line", "end_column")
    return sorted(({k: d[k] for k in keys} for d in json.loads(result.stdout)),
                  key=lambda d: (d["line"], d["column"], d["code"]))


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Debian neovim is not installed")
def test_neovim_shows_the_diagnostics_lint_reports(tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    text = EXAMPLE.read_text()
    plan.write_text(text.replace("goto ", "goto x", 1).replace("timeout ", "timout ", 1))
    expected = _lint(plan)
    out = tmp_path / "diagnostics.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DIALPLAN_PYTHON": sys.executable,
           "DIAG_OUT": str(out), "HOME": str(tmp_path)}
    subprocess.run(["nvim", "--headless", "--clean", "-n", plan.name,
                    "-c", f"luafile {SCRIPT}"], cwd=tmp_path, env=env, timeout=60,
                   check=True, capture_output=True)
    seen = json.loads(out.read_text())
    assert seen["ok"] and len(expected) >= 2
    assert sorted(seen["diagnostics"], key=lambda d: (d["line"], d["column"], d["code"])
                  ) == expected
