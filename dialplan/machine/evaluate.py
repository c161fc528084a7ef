"""Evaluating expressions and schedules against a call's variables and the given time.

Pure: the time comes in as an argument. A value that cannot be computed (a comparison
of the incomparable, a division by zero, a text where a number belongs) raises
EvaluationError: a condition is then false, a `set` takes its `failed` path.
"""

from __future__ import annotations

import datetime as dt
import operator
import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import Any

from ..plan import Plan, Schedule
from ..plan.calendars import is_holiday
from ..plan.routes import matches
from ..syntax.exprs import (
    ARITHMETIC,
    BinOp,
    Call,
    Duration,
    During,
    Expr,
    ListExpr,
    Literal,
    Negate,
    Not,
    Var,
)
from .functions import call
from .numbers import EvaluationError, arithmetic, negate

_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


__all__ = ["EvaluationError", "clock_vars", "evaluate", "is_open"]


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def is_day_off(schedule: Schedule, day: dt.date) -> bool:
    """A holiday of the schedule: a listed date, a yearly date, or one of its calendars'."""
    today, yearly = day.isoformat(), day.isoformat()[5:]
    if any(first <= today <= last for first, last in schedule.holidays):
        return True
    if any(first <= yearly <= last if first <= last else not last < yearly < first
           for first, last in schedule.yearly):
        return True
    return any(is_holiday(code, day) for code in schedule.calendars)


def is_open(schedule: Schedule, now: dt.datetime) -> bool:
    local = now.astimezone(_zone(schedule.timezone))
    if is_day_off(schedule, local.date()):
        return False
    minute = local.hour * 60 + local.minute
    weekday = local.weekday()
    return any(day == weekday and start <= minute < end for day, start, end in schedule.hours)


def clock_vars(now: dt.datetime) -> dict[str, Any]:
    return {"hour": now.hour, "minute": now.minute, "weekday": WEEKDAYS[now.weekday()],
            "date": now.date().isoformat()}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _pair(left: Any, right: Any) -> tuple[Any, Any]:
    """Digits arrive as strings: compare them as numbers when the other side is a number."""
    if isinstance(left, str) != isinstance(right, str):
        a, b = _number(left), _number(right)
        if a is not None and b is not None:
            return a, b
    return left, right


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _pair(left, right)
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    try:
        return bool(_ORDER[op](left, right))
    except TypeError as error:
        raise EvaluationError(f"cannot order {left!r} and {right!r}") from error


def _contains(item: Any, container: Any) -> bool:
    if isinstance(container, str):
        return str(item) in container
    if isinstance(container, list):
        return any(_compare("==", item, entry) for entry in container)
    raise EvaluationError(f"`in` needs a list or a string, got {container!r}")


def evaluate(expr: Expr, env: Mapping[str, Any], plan: Plan, now: dt.datetime) -> Any:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Duration):
        return expr.seconds
    if isinstance(expr, Var):
        if expr.name in env:
            return env[expr.name]
        raise EvaluationError(_missing(expr.name, env))
    if isinstance(expr, ListExpr):
        return [evaluate(item, env, plan, now) for item in expr.items]
    if isinstance(expr, During):
        return is_open(plan.schedule_by_name[expr.schedule], now)
    if isinstance(expr, Not):
        return not evaluate(expr.operand, env, plan, now)
    if isinstance(expr, Negate):
        return negate(evaluate(expr.operand, env, plan, now))
    if isinstance(expr, Call):
        return call(expr.function, [evaluate(arg, env, plan, now) for arg in expr.args])
    return _binary(expr, env, plan, now)


def _missing(name: str, env: Mapping[str, Any]) -> str:
    prefix = name + "."
    if any(key.startswith(prefix) for key in env):
        return f"`{name}` is a group of values (`{prefix}...`), not one value"
    return f"variable `{name}` has no value yet"


def _binary(expr: BinOp, env: Mapping[str, Any], plan: Plan, now: dt.datetime) -> Any:
    left = evaluate(expr.left, env, plan, now)
    if expr.op == "and":
        return left and evaluate(expr.right, env, plan, now)
    if expr.op == "or":
        return left or evaluate(expr.right, env, plan, now)
    right = evaluate(expr.right, env, plan, now)
    if expr.op in ARITHMETIC:
        return arithmetic(expr.op, left, right)
    if expr.op == "in":
        return _contains(left, right)
    if expr.op == "not in":
        return not _contains(left, right)
    if expr.op == "matches":
        return matches(str(right), str(left))
    return _compare(expr.op, left, right)
