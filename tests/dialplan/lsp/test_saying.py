"""Editing says: the value filters are completed after `|`, and the hints of E540 and
E541 become quick fixes on the word to replace."""

from __future__ import annotations

from dialplan.build import build_text
from dialplan.lsp.completion import complete
from dialplan.lsp.diagnostics import to_lsp
from dialplan.lsp.editing import quick_fixes

TEXT = """route 100 -> main
flow main { s: say "Salut" language "French"
  say "{{ 3 | money('EUROS') }}" }
"""


def test_a_language_name_and_a_misspelt_currency_are_fixed_in_place() -> None:
    lines = TEXT.split("\n")
    found = [to_lsp(d, lines) for d in build_text(TEXT, "t.dialplan").diagnostics]
    fixes = []
    for action in quick_fixes("file:///t.dialplan", found, lines):
        assert action.edit is not None and action.edit.changes is not None
        (edit,) = action.edit.changes["file:///t.dialplan"]
        fixes.append((edit.range.start.line, edit.range.start.character,
                      edit.range.end.character, edit.new_text))
    assert sorted(fixes) == [(1, 37, 43, "fr"), (2, 21, 26, "EUR")]


def test_the_value_filters_are_offered_after_a_bar_in_a_template() -> None:
    labels = [i.label for i in complete(None, "t.dialplan", '    say "{{ total | mo', 3, [])]
    assert labels == ["number", "ordinal", "digits", "money", "date", "time"]
