"""The language server's incremental check (items re-parsed only when their text
changed, flows lowered only when they or the plan around them changed, the rest reused
from earlier checks) reports exactly what `dialplan lint` reports on the same files, and
compiles the same nodes, after every edit of a series on a plan split over files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dialplan.build import Build, build_paths
from dialplan.compiler.reuse import LoweredFlows
from dialplan.diagnostics import Diagnostic
from dialplan.lint.run import lint
from dialplan.loader import Sources, display_path
from dialplan.lsp.analysis import analyse, lint_config
from dialplan.lsp.chunks import ParseCache

ROOT = Path(__file__).resolve().parents[3]
MULTI = ROOT / "examples" / "dialplans" / "multi"


def _full_lint(main: Path) -> tuple[list[Diagnostic], list[Build]]:
    """`dialplan lint main.dialplan`, in process: every file read from disk, parsed whole."""
    sources = Sources()
    builds = build_paths([display_path(main)], sources)
    return lint(builds, lint_config(str(main)), sources.texts), builds


def _nodes(builds: list[Build]) -> list[object]:
    return [build.plan.nodes if build.plan else None for build in builds]


class Editor:
    """Two open documents edited in memory and saved after each edit, so the full
    check on disk and the incremental check on the editor's texts see the same text."""

    def __init__(self, folder: Path) -> None:
        self.main = folder / "main.dialplan"
        self.common = folder / "shared" / "common.dialplan"
        self.texts = {str(p.resolve()): p.read_text() for p in (self.main, self.common)}
        self.cache = ParseCache()
        self.lowered = LoweredFlows()

    def edit(self, path: Path, old: str, new: str) -> None:
        key = str(path.resolve())
        assert old in self.texts[key], old
        self.texts[key] = self.texts[key].replace(old, new, 1)
        path.write_text(self.texts[key])

    def check(self) -> list[Diagnostic]:
        """The incremental check of main as the server runs it, compared to the full one."""
        incremental = analyse(str(self.main.resolve()), self.texts, self.cache, self.lowered)
        full, builds = _full_lint(self.main)
        assert incremental.diagnostics == full
        assert _nodes(incremental.builds) == _nodes(builds)
        return incremental.diagnostics


def _codes(found: list[Diagnostic]) -> set[str]:
    return {d.code for d in found}


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    shutil.copytree(MULTI, tmp_path / "multi")
    monkeypatch.chdir(tmp_path)
    return Editor(tmp_path / "multi")


def test_incremental_checks_match_full_lint_after_a_series_of_edits(editor: Editor) -> None:
    main, common = editor.main, editor.common
    assert editor.check() == []
    # a character typed inside a line: one item re-parsed, its state now unknown
    editor.edit(main, "      2 -> advisor", "      2 -> advisorx")
    assert "E301" in _codes(editor.check())
    editor.edit(main, "      2 -> advisorx", "      2 -> advisor")
    assert editor.check() == []
    # lines inserted: a route (the flow below it moves down a line), then a statement
    editor.edit(main, "route 500 -> account_line\n",
                "route 500 -> account_line\nroute 501 -> acount_line\n")
    assert [d.code for d in editor.check()] == ["E302"]
    editor.edit(main, "route 501 -> acount_line", "route 501 -> account_line")
    assert editor.check() == []
    # a statement that adds nodes: the flows lowered after this one start further on
    editor.edit(main, "    run verify_pin\n", "    run verify_pin\n    say \"One moment.\"\n")
    assert editor.check() == []
    editor.edit(main, "route 501 -> account_line", "route 501 -> acount_line")
    editor.edit(main, "    say \"One moment.\"\n", "    say \"One moment.\"\n    goto nowhere\n")
    found = editor.check()
    assert [(d.code, d.span.line) for d in found if d.code in ("E301", "E302")] == [
        ("E302", 7), ("E301", 15)]
    # lines deleted, and a state that is still a target renamed away
    editor.edit(main, "route 501 -> acount_line\n", "")
    editor.edit(main, "    say \"One moment.\"\n    goto nowhere\n", "")
    editor.edit(main, "  advisor:\n", "  advisor_gone:\n")
    assert "E301" in _codes(editor.check())
    editor.edit(main, "  advisor_gone:", "  advisor:")
    assert editor.check() == []
    # a flow renamed in the included file: the including file's calls now name nothing
    editor.edit(common, "flow goodbye {", "flow farewell {")
    assert "E302" in _codes(editor.check())
    editor.edit(common, "flow farewell {", "flow goodbye {")
    assert editor.check() == []
    # an include changed: a file that does not exist, then back
    editor.edit(main, 'include "shared/hours.dialplan"', 'include "shared/hourz.dialplan"')
    assert editor.check() != []
    editor.edit(main, 'include "shared/hourz.dialplan"', 'include "shared/hours.dialplan"')
    assert editor.check() == []
    # a syntax error in the included file, then a new flow added at its end
    editor.edit(common, "    hangup\n}", "    hangup\n")
    assert editor.check() != []
    editor.edit(common, "    hangup\n", "    hangup\n}\n\nflow extra {\n  start:\n    hangup\n}")
    assert any(code.startswith("L") for code in _codes(editor.check()))  # `extra` is unused
