"""Text in, canonical text out: parse with comments, print, place the comments, and
prove the result parses back to the same AST before anyone writes it."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, Report
from ..source import Span
from ..syntax import ast
from .items import Printer
from .layout import Layout
from .meaning import same_meaning
from .source import SourceMap, parse_with_comments


class FormatError(Exception):
    """The formatter would have changed the meaning or lost a comment: a bug in it,
    never the user's; the file must be left alone."""


@dataclass(frozen=True)
class Formatted:
    text: str | None  # None when the input has syntax errors
    diagnostics: list[Diagnostic]


def format_source(text: str, path: str = "<string>") -> Formatted:
    parsed = parse_with_comments(text, path)
    if parsed.module is None:
        return Formatted(None, parsed.diagnostics)
    source = SourceMap(text)
    layout = Layout(source, parsed.comments)
    try:
        layout.emit(Printer(source, parsed.comments).module(parsed.module))
    except RecursionError:  # nesting the parser took, a little too deep to print
        report = Report()
        report.emit("E107", Span(path, 1, 1, 1, 1))
        return Formatted(None, report.diagnostics)
    result = layout.finish()
    _verify(parsed.module, [c.text for c in parsed.comments], result, path)
    return Formatted(result, parsed.diagnostics)


def _verify(module: ast.Module, comments: list[str], result: str, path: str) -> None:
    again = parse_with_comments(result, path)
    if again.module is None:
        raise FormatError(f"{path}: the formatted text does not parse")
    if not same_meaning(module, again.module):
        raise FormatError(f"{path}: formatting would change the meaning")
    if [_squeeze(c) for c in comments] != [_squeeze(c.text) for c in again.comments]:
        raise FormatError(f"{path}: formatting would lose or reorder a comment")


def _squeeze(comment: str) -> str:
    return "\n".join(line.rstrip() for line in comment.split("\n"))
