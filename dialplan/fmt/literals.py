"""Canonical spelling of literals: strings re-escaped one way, numbers without exponents,
route numbers bare when the lexer reads them back as the same number or pattern."""

from __future__ import annotations

import re
from decimal import Decimal

from ..syntax import ast
from ..syntax.exprs import Duration, Literal, Range, Var

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
_BARE_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?|_[0-9A-Za-z\[\]\-.!]+")


def quote(text: str) -> str:
    """A string literal: the short escapes where they exist, `\\uXXXX` for anything else
    that is not printable (control characters, lone surrogates), the rest as is."""
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def number(value: int | float) -> str:
    """`1.5`, `3`, and `0.00001` rather than Python's `1e-05`, which the lexer rejects."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text


def value(item: Literal | Duration | Var | Range | ast.Name | ast.Target) -> str:
    """An option value or statement argument as source text."""
    if isinstance(item, Literal):
        if isinstance(item.value, bool):
            return "true" if item.value else "false"
        if isinstance(item.value, str):
            return quote(item.value)
        return number(item.value)
    if isinstance(item, Duration):
        return item.text
    if isinstance(item, Var):
        return item.name
    if isinstance(item, Range):
        return f"{item.low}..{item.high}"
    if isinstance(item, ast.Name):
        return item.text
    return str(item)


def route_number(item: Literal) -> str:
    """`100` and `_2XX` bare, anything else (`"alice"`) quoted."""
    text = str(item.value)
    return text if _BARE_NUMBER.fullmatch(text) else quote(text)
