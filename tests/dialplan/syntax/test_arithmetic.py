"""The expression grammar's additions: arithmetic with its precedence, negative numbers,
dotted names, function calls, `set`'s `failed` branch, and `*` keys next to `*`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialplan.syntax import ast
from dialplan.syntax.exprs import BinOp, Call, Expr, Literal, Negate, Not, Var
from dialplan.syntax.parser import parse
from dialplan.syntax.unparse import unparse
from tests.dialplan.syntax.test_unparse import reparse


def body(text: str) -> tuple[ast.Statement, ...]:
    module, diagnostics = parse(f"flow f {{ s: {text} }}", "x.dialplan")
    assert module is not None and not diagnostics, diagnostics
    flow = module.items[0]
    assert isinstance(flow, ast.Flow)
    return flow.states[0].body


@pytest.mark.parametrize(("source", "tree"), [
    ("1 + 2 * 3", BinOp("+", Literal(1), BinOp("*", Literal(2), Literal(3)))),
    ("(1 + 2) * 3", BinOp("*", BinOp("+", Literal(1), Literal(2)), Literal(3))),
    ("10 - 4 - 3", BinOp("-", BinOp("-", Literal(10), Literal(4)), Literal(3))),
    ("8 / 4 % 3", BinOp("%", BinOp("/", Literal(8), Literal(4)), Literal(3))),
    ("2 - -3", BinOp("-", Literal(2), Literal(-3))),
    ("-x * 2", BinOp("*", Negate(Var("x")), Literal(2))),
    ("a + 1 < b * 2 and not c", BinOp("and", BinOp("<", BinOp("+", Var("a"), Literal(1)),
                                                     BinOp("*", Var("b"), Literal(2))),
                                       Not(Var("c")))),
    ('"a" + name == "ab"', BinOp("==", BinOp("+", Literal("a"), Var("name")), Literal("ab"))),
])
def test_arithmetic_binds_tighter_than_comparison_and_reads_left_to_right(
        source: str, tree: Expr) -> None:
    assert reparse(source) == tree


def test_a_negative_number_is_one_literal_and_prints_back_as_written() -> None:
    assert reparse("-1.25") == Literal(-1.25)
    assert unparse(reparse("- 7")) == "-7"


def test_dotted_names_are_variables_in_expressions_and_in_set() -> None:
    [statement] = body("set account.balance = items.0.price + account.balance")
    assert isinstance(statement, ast.SetVar)
    assert statement.name.text == "account.balance"
    assert statement.expr == BinOp("+", Var("items.0.price"), Var("account.balance"))


def test_goto_flow_state_is_still_a_target_not_a_dotted_name() -> None:
    [statement] = body("goto main.start")
    assert isinstance(statement, ast.Action)
    target = statement.args[0]
    assert isinstance(target, ast.Target) and str(target) == "main.start"


def test_function_calls_take_any_number_of_expressions() -> None:
    assert reparse('slice(digits(caller), 0, 2 + 1)') == Call(
        "slice", (Call("digits", (Var("caller"),)), Literal(0),
                  BinOp("+", Literal(2), Literal(1))))
    assert reparse("length()") == Call("length", ())


def test_the_name_of_a_call_is_positioned_for_diagnostics() -> None:
    [statement] = body("set n = uper(caller)")
    assert isinstance(statement, ast.SetVar) and isinstance(statement.expr, Call)
    where = statement.expr.name_span
    assert (where.line, where.column, where.end_column) == (1, 21, 25)


def test_set_takes_a_failed_branch() -> None:
    [statement] = body('set share = total / people { failed -> say "No one."; hangup }')
    assert isinstance(statement, ast.SetVar) and statement.branches is not None
    [branch] = statement.branches
    assert [key.text for key in branch.keys] == ["failed"]
    assert [s.verb for s in branch.body if isinstance(s, ast.Action)] == ["say", "hangup"]


def test_star_keys_after_a_set_in_a_branch_body_stay_keys_and_star_multiplies() -> None:
    [menu] = body('menu "m" {\n 1 -> set x = 5 * 9\n * -> hangup\n 2 -> set y = 2\n'
                  ' *9 -> hangup\n 3 -> set z = 2 *3\n}')
    assert isinstance(menu, ast.Action) and menu.branches is not None
    assert [k.text for b in menu.branches for k in b.keys] == ["1", "*", "2", "*9", "3"]
    first = menu.branches[0].body[0]
    last = menu.branches[4].body[0]
    assert isinstance(first, ast.SetVar) and first.expr == BinOp("*", Literal(5), Literal(9))
    assert isinstance(last, ast.SetVar) and last.expr == BinOp("*", Literal(2), Literal(3))


@pytest.mark.parametrize("source", ["1 +", "* 2", "f(1,)", "a..b", "(1 + 2"])
def test_broken_arithmetic_is_a_positioned_syntax_error(source: str) -> None:
    module, diagnostics = parse(f"flow f {{ s: set x = {source} }}", "x.dialplan")
    assert module is None and diagnostics
    assert all(d.code.startswith("E1") and d.span.line == 1 for d in diagnostics)


ATOMS = st.one_of(st.builds(Var, st.sampled_from(["a", "b.c", "items.0.name"])),
                  st.builds(Literal, st.one_of(st.integers(-10**6, 10**6), st.text(max_size=3),
                                               st.sampled_from([0.5, -2.25, 0.1]))))
ARITHMETIC = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds(BinOp, st.sampled_from(["+", "-", "*", "/", "%", "==", "<", "and"]), inner, inner),
    st.builds(Negate, st.builds(Var, st.just("a"))),
    st.builds(Negate, st.builds(BinOp, st.just("+"), inner, inner)),
    st.builds(Call, st.sampled_from(["upper", "slice"]), st.lists(inner, max_size=3).map(tuple)),
), max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(ARITHMETIC)
def test_any_arithmetic_expression_prints_back_to_the_same_tree(expr: Expr) -> None:
    assert reparse(unparse(expr)) == expr
