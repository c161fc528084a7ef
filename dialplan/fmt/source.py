"""Parsing for the formatter: the shared grammar, plus the comments the shared parser skips.

The formatter must put every comment back, so it runs its own instance of the same
grammar with lexer callbacks that collect the ignored comment tokens with their
positions. The AST comes from the shared transformer, so both parsers agree on meaning.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from functools import cache

from lark import Lark, Token, UnexpectedInput
from lark.exceptions import VisitError

from ..diagnostics import Diagnostic, Report
from ..source import Span
from ..syntax import ast
from ..syntax.grammar import GRAMMAR
from ..syntax.parser import syntax_errors
from ..syntax.transform import ToAst

_LOCK = threading.Lock()
_SINK: list[Token] = []


@dataclass(frozen=True)
class Comment:
    """One `//` or `/* */` comment: its text, offsets and first and last line (1-based)."""

    text: str
    start: int
    end: int
    line: int
    end_line: int


@dataclass(frozen=True)
class Parsed:
    module: ast.Module | None  # None when the text has syntax errors
    comments: tuple[Comment, ...]
    diagnostics: list[Diagnostic]


class SourceMap:
    """Offsets from the (line, column) of spans, and the other way round."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def start(self, span: Span) -> int:
        return self.offset(span.line, span.column)

    def end(self, span: Span) -> int:
        return self.offset(span.end_line, span.end_column)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def next_token(self, offset: int) -> int:
        """The offset of the first character at or after `offset` that is not blank,
        `;` or inside a comment: how the formatter finds braces the AST does not keep."""
        text = self.text
        while offset < len(text):
            if text[offset].isspace() or text[offset] == ";":
                offset += 1
            elif text.startswith("//", offset):
                newline = text.find("\n", offset)
                offset = len(text) if newline < 0 else newline
            elif text.startswith("/*", offset):
                offset = text.index("*/", offset) + 2
            else:
                return offset
        return offset

    def find(self, char: str, offset: int) -> int:
        """The offset of the next `char` outside comments, at or after `offset`."""
        offset = self.next_token(offset)
        while offset < len(self.text) and self.text[offset] != char:
            offset = self.next_token(offset + 1)
        return offset


@cache
def _parser() -> Lark:
    callbacks = {"COMMENT": _SINK.append, "BLOCK_COMMENT": _SINK.append}
    return Lark.open(str(GRAMMAR), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False, lexer_callbacks=callbacks)


def parse_with_comments(text: str, path: str) -> Parsed:
    """The module and its comments, or the syntax diagnostics the shared parser gives."""
    with _LOCK:
        _SINK.clear()
        try:
            tree = _parser().parse(text)
        except UnexpectedInput:
            return Parsed(None, (), syntax_errors(text, path))
        tokens = {token.start_pos or 0: token for token in _SINK}
    comments = tuple(_comment(tokens[key]) for key in sorted(tokens))
    transformer = ToAst(path)
    report = Report()
    try:
        module: ast.Module = transformer.transform(tree)
    except (RecursionError, VisitError) as error:
        if isinstance(error, VisitError) and not isinstance(error.orig_exc, RecursionError):
            raise
        report.emit("E107", Span(path, 1, 1, 1, 1))
        return Parsed(None, (), report.diagnostics)
    for code, span, words in transformer.problems:
        report.emit(code, span, **words)
    return Parsed(None if report.has_errors else module, comments, report.diagnostics)


def _comment(token: Token) -> Comment:
    text = token.value.replace("\r\n", "\n")
    if token.type == "COMMENT":
        text = text.rstrip()
    start = token.start_pos or 0
    return Comment(text, start, token.end_pos or start, token.line or 1,
                   token.end_line or token.line or 1)
