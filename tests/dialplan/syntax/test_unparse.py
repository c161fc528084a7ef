"""Expressions print back to text that parses to the same tree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialplan.syntax import ast
from dialplan.syntax.exprs import BinOp, Expr, Literal, Not, Var
from dialplan.syntax.parser import parse
from dialplan.syntax.unparse import unparse


def reparse(text: str) -> Expr:
    module, diagnostics = parse(f"flow f {{ s: set x = {text} }}", "x")
    assert module is not None and not diagnostics, (text, diagnostics)
    statement = module.items[0].states[0].body[0]  # type: ignore[union-attr]
    assert isinstance(statement, ast.SetVar)
    return statement.expr


@pytest.mark.parametrize("source", [
    "a and (b and c)", "(a or b) or c", "(a == b) == c", "a == (b == c)", "not (a and b)",
    '"tab\\there \\u0008 \\\\ \\""', "0.00001", "1e300 == 1",
])
def test_tricky_expressions_round_trip(source: str) -> None:
    if "e300" in source:  # no exponent literal exists: build the value instead
        expr: Expr = BinOp("==", Literal(1e300), Literal(1))
    else:
        expr = reparse(source)
    assert reparse(unparse(expr)) == expr


ATOMS = st.one_of(st.builds(Var, st.sampled_from(["a", "b", "c"])),
                  st.builds(Literal, st.one_of(st.text(max_size=5), st.integers(min_value=0),
                                               st.floats(allow_nan=False, allow_infinity=False,
                                                         min_value=0), st.booleans())))
EXPRESSIONS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds(BinOp, st.sampled_from(["and", "or", "==", "<", "in", "!="]), inner, inner),
    st.builds(Not, inner)), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS)
def test_any_expression_round_trips(expr: Expr) -> None:
    assert reparse(unparse(expr)) == expr
