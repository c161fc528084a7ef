"""An unknown holiday region code (E560) becomes a quick fix, like any did-you-mean."""

from __future__ import annotations

from dialplan.build import build_text
from dialplan.lsp.diagnostics import to_lsp
from dialplan.lsp.editing import quick_fixes

TEXT = ('route 1 -> m\nschedule o {\n  mon 09:00-17:00\n  holidays "DE-BYY"\n}\n'
        "flow m { s: if during o { hangup } }\n")


def test_an_unknown_region_code_gets_a_quick_fix_inside_its_quotes() -> None:
    lines = TEXT.split("\n")
    [e560] = [to_lsp(d, lines) for d in build_text(TEXT, "x.dialplan").diagnostics]
    [fix] = quick_fixes("file:///x.dialplan", [e560], lines)
    assert fix.edit is not None and fix.edit.changes is not None
    [edit] = fix.edit.changes["file:///x.dialplan"]
    assert edit.new_text == "DE-BY"
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) \
        == (3, 12, 18)
