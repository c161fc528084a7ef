"""Expressions back to source text: for `dialplan show`, traces and (later) the formatter."""

from __future__ import annotations

import json

from .exprs import BinOp, Duration, During, Expr, ListExpr, Literal, Not, Var

# Binding strength: a child binding more loosely than its parent needs parentheses.
_STRENGTH = {"or": 1, "and": 2, "not": 3}
_COMPARISON = 4


def _strength(expr: Expr) -> int:
    if isinstance(expr, BinOp):
        return _STRENGTH.get(expr.op, _COMPARISON)
    if isinstance(expr, Not):
        return _STRENGTH["not"]
    return 10


def unparse(expr: Expr) -> str:
    if isinstance(expr, Literal):
        if isinstance(expr.value, bool):
            return "true" if expr.value else "false"
        if isinstance(expr.value, str):
            return json.dumps(expr.value, ensure_ascii=False)
        return repr(expr.value)
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
    strength = _strength(expr)
    # Comparisons do not chain, so both sides of one bind tighter than it does.
    right_needs = strength + 1 if strength >= _COMPARISON else strength
    return f"{_child(expr.left, strength)} {expr.op} {_child(expr.right, right_needs)}"


def _child(expr: Expr, parent: int) -> str:
    text = unparse(expr)
    return f"({text})" if _strength(expr) < parent else text
