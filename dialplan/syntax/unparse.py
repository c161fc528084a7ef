"""Expressions back to source text that parses to the same tree: for `dialplan show`,
traces and the formatter.

The parser reads `and`/`or` chains and arithmetic left to right and comparisons do not
chain, so a right operand of the same strength, and either operand of a comparison that
is itself a comparison, need parentheses.
"""

from __future__ import annotations

from decimal import Decimal

from .exprs import BinOp, Call, Duration, During, Expr, ListExpr, Literal, Negate, Not, Var

_STRENGTH = {"or": 1, "and": 2, "not": 3, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_COMPARISON = 4
_UNARY = 7
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def quote(text: str) -> str:
    """A string literal the lexer reads back as `text`: only escapes it knows."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF:
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def number(value: int | float) -> str:
    """Positional notation: the lexer has no exponents (`1e-05` would not read back)."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def _strength(expr: Expr) -> int:
    if isinstance(expr, BinOp):
        return _STRENGTH.get(expr.op, _COMPARISON)
    if isinstance(expr, Not):
        return _STRENGTH["not"]
    if isinstance(expr, Negate) or (isinstance(expr, Literal) and _negative(expr.value)):
        return _UNARY
    return 10


def _negative(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value < 0


def unparse(expr: Expr) -> str:
    if isinstance(expr, Literal):
        if isinstance(expr.value, bool):
            return "true" if expr.value else "false"
        if isinstance(expr.value, str):
            return quote(expr.value)
        return number(expr.value)
    if isinstance(expr, Duration):
        return expr.text
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, During):
        return f"during {expr.schedule}"
    if isinstance(expr, ListExpr):
        return "[" + ", ".join(unparse(item) for item in expr.items) + "]"
    if isinstance(expr, Not):
        return "not " + _child(expr.operand, _STRENGTH["not"])
    if isinstance(expr, Negate):
        text = _child(expr.operand, _UNARY)
        return "- " + text if text.startswith("-") else "-" + text
    if isinstance(expr, Call):
        return f"{expr.function}(" + ", ".join(unparse(arg) for arg in expr.args) + ")"
    strength = _strength(expr)
    left_needs = strength + 1 if strength == _COMPARISON else strength
    return f"{_child(expr.left, left_needs)} {expr.op} {_child(expr.right, strength + 1)}"


def _child(expr: Expr, needs: int) -> str:
    text = unparse(expr)
    return f"({text})" if _strength(expr) < needs else text
