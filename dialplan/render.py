"""Diagnostics for people (ruff-style text with the source line and a caret) and for
machines (JSON with 1-based start and end positions)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .diagnostics import Diagnostic


def _caret_block(diagnostic: Diagnostic, text: str | None) -> list[str]:
    span = diagnostic.span
    lines = text.splitlines() if text is not None else []
    if not 1 <= span.line <= len(lines):
        return []
    source = lines[span.line - 1].expandtabs(1)
    width = span.end_column - span.column if span.end_line == span.line else len(source)
    width = max(1, min(width, len(source) - span.column + 1))
    gutter = " " * len(str(span.line))
    return [
        f"{gutter} |",
        f"{span.line} | {source}",
        f"{gutter} | {' ' * (span.column - 1)}{'^' * width}",
    ]


def format_text(diagnostics: Sequence[Diagnostic], texts: Mapping[str, str],
                show_source: bool = True) -> str:
    out: list[str] = []
    for diagnostic in diagnostics:
        severity = "" if diagnostic.is_error else f"[{diagnostic.severity.value}] "
        out.append(f"{diagnostic.span}: {diagnostic.code} {severity}{diagnostic.message}")
        if show_source:
            out.extend(_caret_block(diagnostic, texts.get(diagnostic.span.path)))
        if diagnostic.hint:
            out.append(f"  = hint: {diagnostic.hint}")
    return "\n".join(out)


def as_json(diagnostic: Diagnostic) -> dict[str, object]:
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "message": diagnostic.message,
        "severity": diagnostic.severity.value,
        "file": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "hint": diagnostic.hint,
    }


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([as_json(d) for d in diagnostics], indent=2, ensure_ascii=False)
