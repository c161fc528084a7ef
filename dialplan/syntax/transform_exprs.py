"""Transformer rules for expressions (conditions and `set` values)."""

from __future__ import annotations

from typing import Any

from lark import Token, v_args

from .exprs import BinOp, Call, Duration, During, Expr, ListExpr, Literal, Negate, Not, Var
from .transform_base import TransformBase


class ExpressionRules(TransformBase):
    @v_args(meta=True)
    def or_expr(self, meta: Any, children: list[Expr]) -> Expr:
        return self._chain("or", meta, children)

    @v_args(meta=True)
    def and_expr(self, meta: Any, children: list[Expr]) -> Expr:
        return self._chain("and", meta, children)

    def _chain(self, op: str, meta: Any, children: list[Expr]) -> Expr:
        result = children[0]
        for child in children[1:]:
            result = BinOp(op, result, child, self.span(meta))
        return result

    @v_args(meta=True)
    def not_op(self, meta: Any, children: list[Expr]) -> Expr:
        return Not(children[0], self.span(meta))

    @v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> Expr:
        return BinOp(str(children[1]), children[0], children[2], self.span(meta))

    @v_args(meta=True)
    def contains(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("in", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def not_contains(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("not in", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def matches(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("matches", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def add(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("+", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def subtract(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("-", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def multiply(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("*", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def divide(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("/", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def remainder(self, meta: Any, children: list[Expr]) -> Expr:
        return BinOp("%", children[0], children[1], self.span(meta))

    @v_args(meta=True)
    def negate(self, meta: Any, children: list[Expr]) -> Expr:
        """`-5` folds into the literal -5, so the printed `-5` reads back as the same tree."""
        operand = children[0]
        value = operand.value if isinstance(operand, Literal) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Literal(-value, self.span(meta))
        return Negate(operand, self.span(meta))

    @v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> Call:
        name, *args = children
        given = tuple(arg for arg in args if arg is not None)  # `f()`: one None placeholder
        return Call(str(name), given, self.span(meta))

    def string(self, children: list[Token]) -> Literal:
        return self.decode_string(children[0])

    def number_atom(self, children: list[Token]) -> Literal:
        return self.number(children[0])

    def duration_atom(self, children: list[Token]) -> Duration:
        return self.duration(children[0])

    def true(self, children: list[Token]) -> Literal:
        return Literal(True, self.span(children[0]))

    def false(self, children: list[Token]) -> Literal:
        return Literal(False, self.span(children[0]))

    def var(self, children: list[Token]) -> Var:
        return Var(str(children[0]), self.span(children[0]))

    @v_args(meta=True)
    def during(self, meta: Any, children: list[Token]) -> During:
        return During(str(children[0]), self.span(meta))

    @v_args(meta=True)
    def list_expr(self, meta: Any, children: list[Expr]) -> ListExpr:
        return ListExpr(tuple(children), self.span(meta))
