"""Which numbers a trunk may dial: toll-fraud safe unless the operator says otherwise.

A rendered number must be digits (a leading `+` only if a pattern allows it), match one
of the trunk's `allow` patterns and none of its `deny` patterns (the route patterns of
dialplan/plan/routes.py: X any digit, Z 1-9, N 2-9, [1-5] a set, `.` one or more).

By default a trunk dials national and local numbers only:
- allow = ["_0Z.", "_ZX."]: a 0 then 1-9 (national, not 00 international), or a number
  of three or more digits starting 1-9 (local, short codes such as 112);
- deny = ["_09.", "_0137.", "_0138.", "_118.", "_1900.", "_1976."]: premium-rate and
  directory prefixes (09 in DE/UK/AT/CH, 0137/0138 televoting, 118 directories, 1-900 and
  1-976 in North America).
International numbers (00 or +) are never dialled unless an `allow` pattern says so;
`deny` keeps its default unless set (`deny = []` removes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialplan.plan.routes import compile_pattern, pattern_problem

DEFAULT_ALLOW = ("_0Z.", "_ZX.")
DEFAULT_DENY = ("_09.", "_0137.", "_0138.", "_118.", "_1900.", "_1976.")
MAX_DIGITS = 20  # E.164 has 15; a few more for carrier prefixes
_NUMBER = re.compile(rf"\+?[0-9]{{1,{MAX_DIGITS}}}")


def check_patterns(patterns: Iterable[str]) -> tuple[str, ...]:
    """`patterns` as given, or ValueError naming the first that is not a number pattern."""
    found = tuple(patterns)
    for pattern in found:
        problem = pattern_problem(pattern)
        if problem:
            raise ValueError(f"holds `{pattern}`, not a number pattern: {problem}")
    return found


def _matches(number: str, patterns: Iterable[str]) -> str | None:
    return next((p for p in patterns if compile_pattern(p).fullmatch(number)), None)


def number_problem(number: str, allow: Iterable[str], deny: Iterable[str]) -> str | None:
    """Why `number` may not leave through a trunk with these patterns, or None."""
    if not _NUMBER.fullmatch(number):
        return f"{number!r} is not a phone number (digits, an optional leading +)"
    if (denied := _matches(number, deny)) is not None:
        return f"{number} matches the denied pattern {denied}"
    if _matches(number, allow) is None:
        return f"{number} matches none of the allowed patterns ({', '.join(allow)})"
    return None
