"""Text to AST, with syntax errors turned into positioned diagnostics.

On a syntax error the file is parsed again in recovery mode
to report every error in one run, at most one per line, never a traceback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..diagnostics import Diagnostic, Report
from ..source import Span
from . import ast
from .mistakes import match_mistake
from .terminals import describe_expected, describe_token
from .transform import ToAst

GRAMMAR = Path(__file__).with_name("grammar.lark")
MAX_SYNTAX_ERRORS = 20


@cache
def tree_parser() -> Lark:
    """The LALR parser, built once per process (the grammar is compiled on first use)."""
    return Lark.open(str(GRAMMAR), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False)


def parse(text: str, path: str) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one file's text. Returns the module (None on syntax errors) and diagnostics."""
    try:
        tree = tree_parser().parse(text)
    except UnexpectedInput:
        return None, syntax_errors(text, path)
    transformer = ToAst(path)
    module: ast.Module = transformer.transform(tree)
    report = Report()
    for code, span, words in transformer.problems:
        report.emit(code, span, **words)
    return module, report.diagnostics


def syntax_errors(text: str, path: str) -> list[Diagnostic]:
    """Every syntax error of `text`, at most one per line, in order."""
    report = Report()
    seen_lines: set[int] = set()

    def on_error(error: UnexpectedInput) -> bool:
        line = error.line if error.line > 0 else text.count("\n") + 1
        if line not in seen_lines:
            seen_lines.add(line)
            _describe(error, text, path, report)
        return len(seen_lines) < MAX_SYNTAX_ERRORS

    try:
        tree_parser().parse(text, on_error=on_error)
    except UnexpectedInput:
        pass  # recovery gave up (end of input or error limit): what we have is the report
    return report.diagnostics


def _describe(error: UnexpectedInput, text: str, path: str, report: Report) -> None:
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        where = Span.point(path, error.line, error.column)
        if char == '"':
            end = text.find("\n", error.pos_in_stream)
            width = (len(text) if end < 0 else end) - error.pos_in_stream
            report.emit("E103", Span.point(path, error.line, error.column, max(width, 1)),
                        hint="close the string with `\"` on the same line")
        else:
            report.emit("E101", where, char=repr(char))
        return
    assert isinstance(error, UnexpectedToken)
    token: Token = error.token
    expected = describe_expected(error.accepts or error.expected)
    if token.type == "$END":
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        report.emit("E106", Span.point(path, line, column), expected=expected)
        return
    where = Span(path, token.line or 1, token.column or 1,
                 token.end_line or token.line or 1, token.end_column or (token.column or 1) + 1)
    mistake = match_mistake(error)
    if mistake is not None:
        report.emit("E105", where, hint=mistake.hint, label=mistake.message)
    else:
        report.emit("E102", where, found=describe_token(token), expected=expected)
