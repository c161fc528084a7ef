"""Parsing: the AST carries positions; errors point at the right place, several per run."""

from __future__ import annotations

from dialplan.syntax import ast
from dialplan.syntax.exprs import BinOp, Duration, Literal, Var
from dialplan.syntax.parser import parse

SOURCE = """// comment
route 100, _1XX from "_55XX" -> main.menu
flow main {
  menu: menu "Press 1 \\u00e9" timeout 5s attempts 3 {
    1, "sales" -> sales   /* block
                             comment */
    noinput -> say "Sorry"; retry
  }
  sales: set x = caller == "1" and not (called in ["2", "3"]); hangup
}
"""


def parsed() -> ast.Module:
    module, diagnostics = parse(SOURCE, "t.dialplan")
    assert diagnostics == [] and module is not None
    return module


def test_route_keeps_numbers_patterns_callers_and_target() -> None:
    route = parsed().items[0]
    assert isinstance(route, ast.Route)
    assert [n.value for n in route.numbers] == ["100", "_1XX"]
    assert [c.value for c in route.callers] == ["_55XX"]
    assert str(route.target) == "main.menu"
    assert (route.span.line, route.span.column) == (2, 1)


def test_statement_spans_point_at_their_keyword() -> None:
    menu = parsed().items[1].states[0].body[0]  # type: ignore[union-attr]
    assert isinstance(menu, ast.Action) and menu.verb == "menu"
    assert (menu.span.path, menu.span.line, menu.span.column) == ("t.dialplan", 4, 9)
    assert menu.span.end_line == 8


def test_string_escapes_and_unicode_are_decoded() -> None:
    menu = parsed().items[1].states[0].body[0]  # type: ignore[union-attr]
    assert menu.args[0].value == "Press 1 é"  # type: ignore[union-attr]


def test_options_carry_typed_values() -> None:
    menu = parsed().items[1].states[0].body[0]  # type: ignore[union-attr]
    timeout, attempts = menu.options  # type: ignore[union-attr]
    assert timeout.values == (Duration(5.0, "5s"),)
    assert attempts.values == (Literal(3),)


def test_branch_keys_keep_their_kind() -> None:
    menu = parsed().items[1].states[0].body[0]  # type: ignore[union-attr]
    first, second = menu.branches  # type: ignore[union-attr]
    assert [(k.kind, k.text) for k in first.keys] == [("digits", "1"), ("word", "sales")]
    assert [(k.kind, k.text) for k in second.keys] == [("event", "noinput")]
    assert [s.verb for s in second.body] == ["say", "retry"]  # type: ignore[union-attr]


def test_expression_precedence_not_binds_tighter_than_and() -> None:
    set_var = parsed().items[1].states[1].body[0]  # type: ignore[union-attr]
    assert isinstance(set_var, ast.SetVar)
    expr = set_var.expr
    assert isinstance(expr, BinOp) and expr.op == "and"
    assert expr.left == BinOp("==", Var("caller"), Literal("1"))


def test_statements_before_the_first_label_form_a_start_state() -> None:
    module, _ = parse("flow f { answer; hangup }", "x")
    assert module is not None
    assert [s.name.text for s in module.items[0].states] == ["start"]  # type: ignore[union-attr]


def test_syntax_error_reports_line_and_column() -> None:
    _, diagnostics = parse("flow main {\n  s: answer\n  say 42\n}\n", "x.dialplan")
    first = diagnostics[0]
    assert (first.span.line, first.span.column, first.code) == (3, 7, "E102")


def test_several_syntax_errors_are_reported_in_one_run() -> None:
    source = "flow main {\n  s: say 42\n  t: answer\n  u: goto \"x\"\n}\n"
    _, diagnostics = parse(source, "x.dialplan")
    assert [d.span.line for d in diagnostics] == [2, 4]


def test_empty_file_is_a_valid_empty_module() -> None:
    module, diagnostics = parse("", "x")
    assert module == ast.Module("x", ()) and diagnostics == []


def test_keywords_may_name_states_after_goto() -> None:
    _module, diagnostics = parse("flow f { s: goto answer  answer: hangup }", "x")
    assert diagnostics == [], diagnostics
