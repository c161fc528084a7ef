"""Number patterns in the spirit of Asterisk (`_1XX`, `_X.`), and choosing a route.

Pattern letters: X any digit, Z 1-9, N 2-9, [1-5] or [137] a set, `.` one or more of
anything, `!` zero or more; any other character matches itself. Exact numbers beat
patterns; among patterns the more specific wins (compared position by position, the
smaller character set first), as Asterisk orders its extensions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .model import RouteRule

_CLASSES = {"X": "0123456789", "Z": "123456789", "N": "23456789"}
_WILDCARD_SIZE = 1_000_000
_LITERAL = re.compile(r"[0-9A-Za-z*#+]")


def tokens(pattern: str) -> list[str]:
    """Split a pattern body (after `_`) into character-class tokens; raise ValueError."""
    found: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "[":
            end = pattern.find("]", i)
            if end < 0:
                raise ValueError("`[` without `]`")
            body = pattern[i + 1:end]
            if not body or not re.fullmatch(r"([0-9](-[0-9])?)+", body):
                raise ValueError(f"bad set `[{body}]`: use digits and ranges like [1-5]")
            found.append(pattern[i:end + 1])
            i = end + 1
            continue
        if char.upper() in _CLASSES or char in ".!" or _LITERAL.fullmatch(char):
            found.append(char)
            i += 1
            continue
        raise ValueError(f"unexpected `{char}`")
    if any(t in ".!" for t in found[:-1]):
        raise ValueError("`.` and `!` may only end a pattern")
    return found


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not a valid number or pattern, or None."""
    if not pattern.startswith("_"):
        return None if re.fullmatch(r"[0-9A-Za-z*#+._@-]+", pattern) else "not a number"
    try:
        parts = tokens(pattern[1:])
    except ValueError as error:
        return str(error)
    return None if parts else "empty pattern"


def _regex_part(token: str) -> str:
    if token.startswith("["):
        return token
    if token.upper() in _CLASSES:
        return f"[{_CLASSES[token.upper()]}]"
    return {".": ".+", "!": ".*"}.get(token, re.escape(token))


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    if not pattern.startswith("_"):
        return re.compile(re.escape(pattern))
    return re.compile("".join(_regex_part(t) for t in tokens(pattern[1:])))


def token_chars(token: str) -> frozenset[str] | None:
    """The characters a token matches; None for the wildcards `.` and `!`."""
    if token in ".!":
        return None
    if token.startswith("["):
        chars: set[str] = set()
        for low, high in re.findall(r"([0-9])(?:-([0-9]))?", token[1:-1]):
            chars.update(chr(c) for c in range(ord(low), ord(high or low) + 1))
        return frozenset(chars)
    return frozenset(_CLASSES.get(token.upper(), token))


def _set_size(body: str) -> int:
    chars = token_chars(f"[{body}]")
    return len(chars) if chars is not None else _WILDCARD_SIZE


def _size(token: str) -> int:
    if token in ".!":
        return _WILDCARD_SIZE
    if token.startswith("["):
        return _set_size(token[1:-1])
    return len(_CLASSES.get(token.upper(), "x"))


def specificity(pattern: str) -> tuple[int, tuple[int, ...]]:
    """Sort key: exact numbers first, then patterns from most to least specific."""
    if not pattern.startswith("_"):
        return (0, ())
    return (1, tuple(_size(t) for t in tokens(pattern[1:])))


def matches(pattern: str, number: str) -> bool:
    return compile_pattern(pattern).fullmatch(number) is not None


def _rule_rank(rule: RouteRule, called: str, caller: str) -> tuple[object, ...] | None:
    """How well `rule` fits the call (smaller is better), or None when it does not."""
    if rule.callers and not any(matches(p, caller) for p in rule.callers):
        return None
    caller_rank = 0 if rule.callers else 1
    if not rule.numbers:
        return (caller_rank, 1, (0, ()))
    fitting = [specificity(p) for p in rule.numbers if matches(p, called)]
    return (caller_rank, 0, min(fitting)) if fitting else None


def best_route(rules: Iterable[RouteRule], called: str, caller: str
               ) -> tuple[tuple[object, ...], RouteRule] | None:
    """The route a call takes and its rank (smaller is better), to compare plans by."""
    ranked = [((rank, i), rule) for i, rule in enumerate(rules)
              if (rank := _rule_rank(rule, called, caller)) is not None]
    if not ranked:
        return None
    (rank, _), rule = min(ranked, key=lambda item: item[0])
    return rank, rule


def choose_route(rules: Iterable[RouteRule], called: str, caller: str) -> RouteRule | None:
    """The route a call takes: a caller filter beats none; then exact, pattern, default."""
    best = best_route(rules, called, caller)
    return best[1] if best else None
