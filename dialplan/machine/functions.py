"""What each function of plan/functions.py does, on values already evaluated.

Every failure (a text where a number belongs, a position that is not whole, a time that
is not ISO) raises EvaluationError, which the `set` turns into its `failed` path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..plan.functions import FUNCTIONS
from .numbers import (
    EvaluationError,
    as_text,
    checked_text,
    from_decimal,
    is_number,
    kind_of,
    parse_number,
    rounded,
    whole,
)

MAX_PATTERN = 100  # characters of a format_time pattern


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise EvaluationError(f"{what} needs text, got {kind_of(value)} {value!r}")
    return value


def _length(args: Sequence[object]) -> object:
    value = args[0]
    return len(value) if isinstance(value, str | list) else len(as_text(value))


def _slice(args: Sequence[object]) -> object:
    text = _text(args[0], "slice")
    start = whole(args[1], "slice's start")
    end = whole(args[2], "slice's end") if len(args) > 2 else len(text)
    return text[start:end]


def _number(args: Sequence[object]) -> object:
    value = args[0]
    if is_number(value):
        return value
    return parse_number(_text(value, "number"))


def _format_time(args: Sequence[object]) -> object:
    text, pattern = _text(args[0], "format_time"), _text(args[1], "format_time's pattern")
    if len(pattern) > MAX_PATTERN:
        raise EvaluationError(f"format_time's pattern is longer than {MAX_PATTERN} characters")
    moment: dt.datetime | dt.time
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = dt.time.fromisoformat(text)
        except ValueError:
            raise EvaluationError(f"format_time needs an ISO date or time, got {text[:40]!r}"
                                  ) from None
    try:
        return moment.strftime(pattern)
    except ValueError as error:
        raise EvaluationError(f"format_time: {error}") from error


IMPLEMENTATIONS: dict[str, Callable[[Sequence[object]], object]] = {
    "length": _length,
    "upper": lambda args: _text(args[0], "upper").upper(),
    "lower": lambda args: _text(args[0], "lower").lower(),
    "slice": _slice,
    "digits": lambda args: "".join(c for c in _text(args[0], "digits") if "0" <= c <= "9"),
    "number": _number,
    "text": lambda args: checked_text(as_text(args[0])),
    "round": lambda args: from_decimal(rounded(args[0], args[1] if len(args) > 1 else 0,
                                               "round")),
    "format_number": lambda args: format(rounded(args[0], args[1], "format_number"), "f"),
    "format_time": _format_time,
}


def call(name: str, args: Sequence[object]) -> object:
    """Run function `name`. The compiler has checked that it exists and its arity; this
    checks again so that a plan built by other means fails the `set`, not the call."""
    signature, function = FUNCTIONS.get(name), IMPLEMENTATIONS.get(name)
    if signature is None or function is None:
        raise EvaluationError(f"no function `{name}`")
    if not signature.required <= len(args) <= len(signature.params):
        raise EvaluationError(f"`{name}` takes {signature.signature}")
    return function(args)
