"""`--explain` texts for the expression codes (E5xx): functions, operand types, zero."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

EXPR_EXPLANATIONS: dict[str, X] = {
    "E501": X("unknown-function",
              "Finds a call of a function the language does not have; the hint names the "
              "closest (length, upper, lower, slice, digits, number, text, round, "
              "format_number, format_time).", BEFORE_BUILD,
              "set short = uper(name)", "set short = upper(name)"),
    "E502": X("wrong-argument-count",
              "Finds a function called with too few or too many arguments; the hint shows "
              "its signature.", BEFORE_BUILD,
              "set area = slice(caller)", "set area = slice(caller, 0, 3)"),
    "E503": X("wrong-operand-type",
              "Finds an operand of `+ - * / %` or unary minus whose type is known to be "
              "wrong: text in arithmetic, a number joined to text, a boolean or a list.",
              "The `set` would fail on every call. Collected digits and the caller's "
              "number are text: `number(...)` turns them into a number, `text(...)` a "
              "number into text.",
              'collect count "How many?" digits 1..2\nset total = count * 5',
              'collect count "How many?" digits 1..2\nset total = number(count) * 5'),
    "E504": X("wrong-argument-type",
              "Finds a function argument whose type is known to be wrong (a number where "
              "text is needed), or a position or count of decimals that is not whole.",
              "The `set` would fail on every call.",
              "set first = slice(caller, 0.5)", "set first = slice(caller, 0, 1)"),
    "E505": X("division-by-zero",
              "Finds a division or remainder by the literal 0.",
              "It has no value: the `set` would fail on every call. A divisor that is a "
              "variable is checked when the call runs; give that `set` a `failed` branch.",
              "set share = total / 0",
              "set share = total / people {\n  failed -> say \"Nobody to share with.\"\n}"),
}
