"""Shared helpers of the transformer rules: spans, names, literal values.

Problems found while decoding literals are collected in `problems`, never raised, so
one bad escape does not hide the rest of the file's diagnostics.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Token, Transformer

from ..source import Span
from . import ast
from .exprs import Duration, Literal, Range, Var
from .literals import number_problem, parse_duration, parse_number, unescape

CLOSED_STRING = re.compile(r'"([^"\\\n]|\\.)*"')
Problem = tuple[str, Span, dict[str, str]]


class TransformBase(Transformer[Token, Any]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.problems: list[Problem] = []

    def span(self, node: Any) -> Span:
        if getattr(node, "empty", False) or getattr(node, "line", None) is None:
            return Span(self.path, 1, 1, 1, 1)
        return Span(self.path, node.line, node.column, node.end_line, node.end_column)

    def name(self, token: Token) -> ast.Name:
        return ast.Name(str(token), self.span(token))

    def decode_string(self, token: Token) -> Literal:
        if not CLOSED_STRING.fullmatch(token):
            self.problems.append(("E103", self.span(token), {}))
            token = Token.new_borrow_pos(token.type, token + '"', token)
        text, bad = unescape(token[1:-1])
        for offset, escape in bad:
            column = (token.column or 1) + 1 + offset
            where = Span.point(self.path, token.line or 1, column, len(escape))
            words = {"escape": escape}
            if len(escape) > 2 and escape[1] in "uU":
                words["hint"] = ("not a character: escapes name U+0000 to U+10FFFF, "
                                 "except the surrogates U+D800 to U+DFFF")
            self.problems.append(("E104", where, words))
        return Literal(text, self.span(token))

    def number(self, token: Token) -> Literal:
        """A number literal; one that cannot be a value is E404 (and stands as 0)."""
        if problem := number_problem(token):
            self.problems.append(("E404", self.span(token), {"what": "number", "detail": problem}))
            return Literal(0, self.span(token))
        return Literal(parse_number(token), self.span(token))

    def duration(self, token: Token) -> Duration:
        if problem := number_problem(token):
            words = {"what": "duration", "detail": problem}
            self.problems.append(("E404", self.span(token), words))
            return Duration(0.0, str(token), self.span(token))
        return Duration(parse_duration(token), str(token), self.span(token))

    def value(self, item: Token | Range) -> ast.Value:
        if isinstance(item, Range):
            return item
        kind = item.type
        if kind == "STRING":
            return self.decode_string(item)
        if kind == "NUMBER":
            return self.number(item)
        if kind == "DURATION":
            return self.duration(item)
        if kind in ("TRUE", "FALSE"):
            return Literal(kind == "TRUE", self.span(item))
        return Var(str(item), self.span(item))
