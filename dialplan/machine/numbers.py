"""Arithmetic on call variables: exact decimals, bounded, failing with EvaluationError.

Variables hold plain JSON-friendly scalars (int, float, str, bool), as the trace, the
admin endpoint and HTTP results do. Arithmetic converts each number to a Decimal from
its shortest text (0.1 is "0.1", not the binary fraction), computes exactly, and stores
the result back as an int when it is whole and as a float otherwise: `0.1 + 0.2` is 0.3,
and money with up to 15 significant digits prints as written. Limits keep a loop of
`set x = x * x` or `set s = s + s` from eating the process: a failure, never a crash.
"""

from __future__ import annotations

import decimal
import math
import operator
import re
from decimal import Decimal

from ..plan.functions import number_text

MAX_MAGNITUDE = Decimal(10) ** 18  # beyond any amount or counter a call needs
MAX_TEXT = 10_000  # characters a computed text may have
_CONTEXT = decimal.Context(prec=40, traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                                           decimal.Overflow])
_EXACT_ON_INTS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_NUMBER_TEXT = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")


class EvaluationError(Exception):
    """An expression that has no value for this call: the `failed` path of a `set`."""


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def kind_of(value: object) -> str:
    """The language's name for a value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    return "list" if isinstance(value, list) else "text"


def to_decimal(value: object, what: str) -> Decimal:
    if not is_number(value):
        raise EvaluationError(f"{what} needs a number, got {kind_of(value)} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise EvaluationError(f"{what} needs a finite number, got {value!r}")
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def from_decimal(value: Decimal) -> int | float:
    if abs(value) >= MAX_MAGNITUDE:
        raise EvaluationError(f"number out of range: {value:.6e} (the limit is 1e18)")
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_number(text: str) -> int | float:
    """Text of digits as a number; anything else (`1e5`, `nan`, ` 12a`) fails."""
    stripped = text.strip()
    if not _NUMBER_TEXT.fullmatch(stripped):
        raise EvaluationError(f"not a number: {text[:40]!r}")
    return from_decimal(Decimal(stripped))


def as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        assert isinstance(value, int | float)
        return number_text(value)
    return str(value)


def checked_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise EvaluationError(f"text longer than {MAX_TEXT} characters")
    return text


def arithmetic(op: str, left: object, right: object) -> int | float | str:
    """`left op right` for + - * / %: numbers exactly; `+` also joins two texts."""
    if op == "+" and isinstance(left, str) and isinstance(right, str):
        return checked_text(left + right)
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        raise EvaluationError(f"`+` needs two numbers or two texts, got {kind_of(left)} "
                              f"{left!r} and {kind_of(right)} {right!r}")
    if type(left) is int and type(right) is int and op in _EXACT_ON_INTS:
        return _bounded(_EXACT_ON_INTS[op](left, right))  # the common counter: no Decimal
    a, b = to_decimal(left, f"`{op}`"), to_decimal(right, f"`{op}`")
    if op in ("/", "%") and b == 0:
        raise EvaluationError(f"division by zero in `{as_text(left)} {op} 0`")
    compute = {"+": _CONTEXT.add, "-": _CONTEXT.subtract, "*": _CONTEXT.multiply,
               "/": _CONTEXT.divide, "%": _CONTEXT.remainder}[op]
    try:
        return from_decimal(compute(a, b))
    except decimal.DecimalException as error:
        raise EvaluationError(f"`{op}` has no result for {left!r} and {right!r}") from error


def _bounded(value: int) -> int:
    if abs(value) >= MAX_MAGNITUDE:
        raise EvaluationError(f"number out of range: {value:.6e} (the limit is 1e18)")
    return value


def negate(value: object) -> int | float:
    return from_decimal(-to_decimal(value, "`-`"))


def whole(value: object, what: str) -> int:
    """A whole number (a position, a count of places); anything else fails."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise EvaluationError(f"{what} needs a whole number, got {kind_of(value)} {value!r}")


def rounded(value: object, places: object, what: str) -> Decimal:
    """`value` to `places` decimals (0-10), halves away from zero, as money is rounded."""
    count = whole(places, what)
    if not 0 <= count <= 10:
        raise EvaluationError(f"{what} rounds to 0 to 10 decimal places, not {count}")
    try:
        return to_decimal(value, what).quantize(Decimal(1).scaleb(-count),
                                                rounding=decimal.ROUND_HALF_UP, context=_CONTEXT)
    except decimal.DecimalException as error:
        raise EvaluationError(f"{what}: cannot round {value!r}") from error
