"""Canonical spelling of literals: strings re-escaped one way, numbers without exponents,
route numbers bare when the lexer reads them back as the same number or pattern."""

from __future__ import annotations

import re

from ..syntax import ast
from ..syntax.exprs import Duration, Literal, Range, Var
from ..syntax.unparse import number, quote, unparse

__all__ = ["number", "quote", "route_number", "value"]

_BARE_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?|_[0-9A-Za-z\[\]\-.!]+")


def value(item: Literal | Duration | Var | Range | ast.Name | ast.Target) -> str:
    """An option value or statement argument as source text."""
    if isinstance(item, Literal | Duration | Var):
        return unparse(item)
    if isinstance(item, Range):
        return f"{item.low}..{item.high}"
    if isinstance(item, ast.Name):
        return item.text
    return str(item)


def route_number(item: Literal) -> str:
    """`100` and `_2XX` bare, anything else (`"alice"`) quoted."""
    text = str(item.value)
    return text if _BARE_NUMBER.fullmatch(text) else quote(text)
