"""Compile-time types of expressions: wrong operands and arguments are reported at the
operand, with a hint (and a fix the editor can apply); what is only known at run time
passes, to be checked when the call runs."""

from __future__ import annotations

import pytest

from dialplan.build import build_text
from dialplan.diagnostics import Diagnostic

HEAD = "route 100 -> main\n"


def problems(flow_body: str, prelude: str = "") -> list[Diagnostic]:
    build = build_text(HEAD + prelude + "flow main {\n  s:\n" + flow_body + "\n}\n",
                       "t.dialplan")
    return [d for d in build.diagnostics if d.code.startswith("E")]


def only(flow_body: str, prelude: str = "") -> Diagnostic:
    found = problems(flow_body, prelude)
    assert len(found) == 1, found
    return found[0]


def test_collected_digits_are_text_and_the_fix_wraps_them_in_number() -> None:
    found = only('    collect pin "PIN" digits 4\n    set next = pin + 1')
    assert (found.code, found.span.line, found.span.column) == ("E503", 5, 16)
    assert found.message == "`pin` is text, but `+` needs a number"
    assert found.hint == "did you mean `number(pin)`?"


def test_a_number_joined_to_a_text_literal_is_blamed_on_the_number() -> None:
    found = only('    set total = 5\n    set line = "Total: " + total')
    assert (found.code, found.span.column) == ("E503", 28)
    assert found.message == "`total` is number, but `+` needs text"
    assert found.hint == "did you mean `text(total)`?"


def test_types_flow_through_earlier_sets_and_builtins() -> None:
    assert problems("    set n = 0\n    set n = n + 1\n    set m = n * 2 - hour % 7") == []
    found = only('    set label = upper(caller)\n    set x = -label')
    assert (found.code, found.message) == ("E503", "`label` is text, but `-` needs a number")


def test_a_variable_set_to_different_types_is_only_checked_at_run_time() -> None:
    assert problems('    set v = 1\n    set v = "one"\n    set w = v * 2') == []


def test_members_of_dotted_names_are_known_at_run_time_only() -> None:
    prelude = 'set account.balance = 0\n'
    assert problems("    set due = account.balance * 1.2 + caller.extension_count",
                    prelude) == []


@pytest.mark.parametrize(("body", "code", "column", "message", "hint"), [
    ("    set x = uper(caller)", "E501", 13, "unknown function `uper`",
     "did you mean `upper`?"),
    ("    set x = launch(caller)", "E501", 13, "unknown function `launch`",
     "the functions: length, upper, lower, slice, digits, number, text, round, "
     "format_number, format_time"),
    ("    set x = slice(caller)", "E502", 13, "`slice` takes 2 or 3 arguments, got 1",
     "slice(text: text, start: number, [end: number]) -> text"),
    ("    set x = digits(5)", "E504", 20, "argument `text` of `digits` must be text, got number",
     "digits(text: text) -> text"),
    ("    set x = format_number(2.5, 1.5)", "E504", 32,
     "argument `places` of `format_number` must be a whole number, got 1.5",
     "format_number(value: number, places: number) -> text"),
    ("    set x = 10 / (5 - 5) + 1 % 0", "E505", 32, "division by zero: the right side of `%` is 0",
     None),
    ("    set x = true * 2", "E503", 13, "`true` is boolean, but `*` needs a number", None),
    ('    set x = [1, 2] + 1', "E503", 13, "`[1, 2]` is list, but `+` needs a number", None),
])
def test_each_mistake_is_reported_at_the_operand_with_a_hint(
        body: str, code: str, column: int, message: str, hint: str | None) -> None:
    found = only(body)
    assert (found.code, found.span.line, found.span.column, found.message) == (
        code, 4, column, message)
    if hint is not None:
        assert found.hint == hint


def test_set_has_only_a_failed_branch_once() -> None:
    found = problems("    set x = 1 { busy -> hangup\n failed -> hangup\n failed -> hangup }")
    assert [(d.code, d.message) for d in found] == [
        ("E406", "`set` has no `busy` branch (it has: failed)"),
        ("E407", "duplicate branch `failed` in `set`")]


def test_the_failed_branch_is_a_transition_of_the_set_node() -> None:
    build = build_text(HEAD + 'flow main {\n  s:\n    set x = 1 / number(caller) {\n'
                       '      failed -> say "No."\n    }\n    hangup\n}\n', "t.dialplan")
    assert build.plan is not None
    [node] = [n for n in build.plan.nodes if type(n.action).__name__ == "SetVar"]
    assert [str(label) for label, _ in node.branches] == ["failed"]
    assert node.next is not None and node.branches[0][1] != node.next
