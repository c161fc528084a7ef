"""Expressions as source text: `unparse`, with three spellings it gets wrong done here.

`unparse` (shared with `dialplan show`) drops the parentheses of `a and (b and c)` and
`(a == b) == c`, writes strings with JSON escapes (`\\b`, `\\f`) the lexer rejects, and
floats as `1e-05`. Before handing a tree to it, this pre-pass renders exactly those
subtrees itself and passes them in as verbatim names, so the text parses back to the
same tree. Once `unparse` spells them right, the pre-pass changes nothing.
"""

from __future__ import annotations

from ..syntax.exprs import BinOp, Expr, ListExpr, Literal, Not, Var
from ..syntax.unparse import unparse
from .literals import number, quote

CHAINS = ("and", "or")  # the parser groups these to the left
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "matches")


def expression(expr: Expr) -> str:
    return unparse(_patched(expr))


def _verbatim(text: str) -> Var:
    return Var(text)


def _patched(expr: Expr) -> Expr:
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return _verbatim(quote(expr.value))
    if isinstance(expr, Literal) and isinstance(expr.value, float):
        return _verbatim(number(expr.value))
    if isinstance(expr, ListExpr):
        return ListExpr(tuple(_patched(item) for item in expr.items))
    if isinstance(expr, Not):
        return Not(_patched(expr.operand))
    if not isinstance(expr, BinOp):
        return expr
    left, right = _patched(expr.left), _patched(expr.right)
    if expr.op in CHAINS and isinstance(expr.right, BinOp) and expr.right.op == expr.op:
        right = _verbatim(f"({expression(expr.right)})")
    if (expr.op in COMPARISONS and isinstance(expr.left, BinOp)
            and expr.left.op in COMPARISONS):
        left = _verbatim(f"({expression(expr.left)})")
    return BinOp(expr.op, left, right)
