"""Hover texts, on the feature class (the stdio session tests cover a diagnostic's
code and a statement end to end)."""

from __future__ import annotations

from pathlib import Path

from dialplan.lsp.hover import Hover


def test_a_code_named_in_a_noqa_comment_is_explained() -> None:
    text = Hover().text("    goto old  // noqa: L101", 1, 26, [])
    assert text is not None and "L101 (unreachable-state)" in text and "Example" in text


def test_a_statement_without_the_language_reference_still_lists_its_options(
        tmp_path: Path) -> None:
    text = Hover(tmp_path / "missing.md").text("    record message", 1, 6, [])
    assert text == "`record`\n\nOptions: `max`, `finish`, `beep`"


def test_nothing_is_shown_over_blanks_or_names() -> None:
    hover = Hover()
    assert hover.text("    goto menu", 1, 2, []) is None
    assert hover.text("    goto menu", 1, 11, []) is None


def test_a_function_shows_its_signature_and_an_example() -> None:
    text = Hover().text("    set due = format_number(total, 2)", 1, 18, [])
    assert text is not None
    assert "format_number(value: number, places: number) -> text" in text
    assert 'format_number(42.5, 2) == "42.50"' in text
    assert Hover().text("    set format_number = 1", 1, 10, []) is None  # a name, not a call
