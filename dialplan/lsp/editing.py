"""Formatting through `dialplan fmt`, and code actions that apply a diagnostic's
suggestion (the "did you mean `x`?" of its hint) by replacing the diagnostic's range."""

from __future__ import annotations

import re

from lsprotocol import types

from ..fmt import FormatError, format_source
from .positions import to_column, utf16

_SUGGESTION = re.compile(r"did you mean `([^`]+)`\?")
_QUOTED = re.compile(r"`([^`]+)`")


def format_edits(text: str, path: str) -> list[types.TextEdit] | None:
    """One edit replacing the whole text; None when it does not parse (nothing to do)
    or the formatter refuses (it never changes meaning)."""
    try:
        formatted = format_source(text, path)
    except FormatError:
        return None
    if formatted.text is None or formatted.text == text:
        return [] if formatted.text is not None else None
    lines = text.split("\n")
    end = types.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2)
    whole = types.Range(start=types.Position(line=0, character=0), end=end)
    return [types.TextEdit(range=whole, new_text=formatted.text)]


def suggestion(diagnostic: types.Diagnostic) -> str | None:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    match = _SUGGESTION.search(str(data.get("hint") or diagnostic.message))
    return match.group(1) if match else None


def misspelled(diagnostic: types.Diagnostic, lines: list[str]) -> types.Range | None:
    """Where, inside the diagnostic's range, the word its message quotes first is
    written (a range may cover a whole statement, as E305's does)."""
    quoted = _QUOTED.search(diagnostic.message)
    if quoted is None:
        return None
    word = re.compile(rf"(?<![\w.]){re.escape(quoted.group(1))}(?![\w])")
    start, end = diagnostic.range.start, diagnostic.range.end
    for number in range(start.line, min(end.line, len(lines) - 1) + 1):
        text = lines[number]
        low = to_column(text, start.character) - 1 if number == start.line else 0
        high = to_column(text, end.character) - 1 if number == end.line else len(text)
        found = word.search(text, low, high)
        if found is not None:
            return types.Range(
                start=types.Position(line=number, character=utf16(text, found.start())),
                end=types.Position(line=number, character=utf16(text, found.end())))
    return None


def quick_fixes(uri: str, diagnostics: list[types.Diagnostic], lines: list[str]
                ) -> list[types.CodeAction]:
    actions = []
    for diagnostic in diagnostics:
        word, where = suggestion(diagnostic), misspelled(diagnostic, lines)
        if word is None or where is None:
            continue
        edit = types.TextEdit(range=where, new_text=word)
        actions.append(types.CodeAction(
            title=f"Replace with `{word}`", kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic], is_preferred=True,
            edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions
