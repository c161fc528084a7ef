"""Evaluating arithmetic and functions on a call: exact decimals, bounded values, and
every run-time failure taking the `set`'s `failed` path (or, without one, an empty
variable and a warning): never an exception out of the machine."""

from __future__ import annotations

import operator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialplan.machine import commands as cmd
from dialplan.machine.numbers import EvaluationError, arithmetic
from tests.dialplan.transcript import Call

HEAD = "route 100 -> main\nflow main {\n  s:\n"


def variables(lines: str, caller: str = "5551234") -> dict[str, object]:
    call = Call.of(HEAD + lines + "\n    hangup\n}\n", caller=caller)
    call.start()
    assert call.state is not None
    return dict(call.state.vars)


def test_decimals_add_as_written() -> None:
    found = variables("    set a = 0.1 + 0.2\n    set b = 1.1 * 3\n    set c = 19.99 - 0.99\n"
                      '    set shown = text(a)')
    assert found["a"] == 0.3 and found["b"] == 3.3 and found["c"] == 19
    assert isinstance(found["c"], int) and found["shown"] == "0.3"


def test_integers_stay_whole_and_division_gives_a_decimal_only_when_needed() -> None:
    found = variables("    set a = 10 / 4\n    set b = 10 / 5\n    set c = -7 % 3\n"
                      "    set d = -(2 + 3) * 4")
    assert found == {**found, "a": 2.5, "b": 2, "c": -1, "d": -20}


def test_functions_on_caller_input_treat_it_as_data() -> None:
    found = variables('    set area = slice(digits(caller), 0, 3)\n'
                      '    set n = number(slice(caller, -2)) + 1\n'
                      '    set loud = upper(caller) + lower("ABC")\n'
                      '    set size = length(caller)\n'
                      '    set money = format_number(number("42.5"), 2)\n'
                      '    set r = round(2.675, 2)\n'
                      '    set when = format_time("2026-12-24T15:30:00", "%H:%M on %d.%m.")',
                      caller="+1 (555) {{ 7*7 }}-12")
    assert found["area"] == "155" and found["n"] == 13
    assert found["loud"] == "+1 (555) {{ 7*7 }}-12abc" and found["size"] == 21
    assert (found["money"], found["r"], found["when"]) == ("42.50", 2.68, "15:30 on 24.12.")


@pytest.mark.parametrize(("expr", "why"), [
    ("1 / (hour - 12)", "division by zero"),
    ("number(caller) % (minute - minute)", "division by zero"),
    ("number(caller + \"x\")", "not a number"),
    ('slice(caller, 0.5 + number("0"))', "needs a whole number"),
    ("number(caller) * 1000000000000", "out of range"),
    ('format_time(caller, "%H")', "ISO date or time"),
    ("round(1, 11)", "0 to 10 decimal places"),
    ('caller.zone + "1"', "no value yet"),
])
def test_a_failure_takes_the_failed_branch_with_a_note(expr: str, why: str) -> None:
    call = Call.of(HEAD + f'    set x = {expr} {{ failed -> say "Sorry." }}\n'
                   '    say "Got {{ x }}."\n    hangup\n}\n', caller="55512345")
    commands = call.start()
    notes = [c for c in commands if isinstance(c, cmd.Log)]
    assert len(notes) == 1 and notes[0].level == "info" and why in notes[0].message
    assert next(c for c in commands if isinstance(c, cmd.Say)).text == "Sorry."
    assert call.state is not None and "x" not in call.state.vars


def test_without_a_failed_branch_the_variable_is_empty_and_the_flow_goes_on() -> None:
    call = Call.of(HEAD + '    set x = 5 / (minute - minute)\n    say "[{{ x }}]"\n'
                   "    hangup\n}\n")
    commands = call.start()
    assert cmd.Log("warning", "`x` set to empty: division by zero in `5 / 0`") in commands
    assert cmd.Say("[]") in commands


def test_doubling_text_in_a_loop_fails_at_the_bound_instead_of_eating_memory() -> None:
    call = Call.of(HEAD + '    set s = "ab"\n    goto grow\n  grow:\n'
                   '    set s = s + s { failed -> say "full"; hangup }\n    goto grow\n}\n')
    commands = call.start()
    assert cmd.Say("full") in commands
    assert call.state is not None and len(str(call.state.vars["s"])) <= 10_000


def test_a_group_of_values_is_not_one_value() -> None:
    with pytest.raises(EvaluationError):
        arithmetic("+", "a", 1)
    call = Call.of(HEAD + '    set account.balance = 2\n    set x = account * 2 { failed -> say '
                   '"no" }\n    set y = account.balance * 2\n    hangup\n}\n')
    commands = call.start()
    assert cmd.Log("info", "`x` failed: `account` is a group of values (`account....`), "
                   "not one value") in commands
    call.prompt_done()  # "no" was said: the flow goes on after the branch
    assert call.state is not None and call.state.vars["y"] == 4


MONEY = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                    allow_infinity=False)


def _value(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


@settings(max_examples=400, deadline=None)
@given(MONEY, MONEY, st.sampled_from(["+", "-", "*", "/", "%"]))
def test_arithmetic_on_amounts_agrees_with_python_decimal(a: Decimal, b: Decimal, op: str
                                                          ) -> None:
    left, right = _value(a), _value(b)
    if op in "/%" and b == 0:
        with pytest.raises(EvaluationError):
            arithmetic(op, left, right)
        return
    exact = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "%": operator.mod}[op](a, b)
    if abs(exact) >= 10**18:  # past the bound: a failure, never a huge number
        with pytest.raises(EvaluationError):
            arithmetic(op, left, right)
        return
    result = arithmetic(op, left, right)
    assert isinstance(result, int | float)
    if op in "+-%":  # results with at most 2 decimals print exactly as Decimal does
        assert Decimal(repr(result)) == exact
    else:
        assert result == pytest.approx(float(exact), rel=1e-15)


@pytest.mark.parametrize("said", ['__import__("os").system("id")', "1 + 1", "{{ 7*7 }}",
                                  "1e9", "nan", "0x10", " 12 ", "٣"])
def test_caller_input_is_data_never_code(said: str) -> None:
    call = Call.of(HEAD + '    set n = number(caller) * 2 { failed -> say "not a number" }\n'
                   '    set shout = upper(caller)\n    say "{{ shout }} {{ n }}"\n    hangup\n}\n',
                   caller=said)
    commands = call.start()
    spoken = [c.text for c in commands if isinstance(c, cmd.Say)]
    if said.strip() == "12":
        assert spoken == [f"{said.upper()} 24"]
    else:
        assert spoken == ["not a number"]
