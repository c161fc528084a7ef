"""Number patterns and route choice, in the spirit of Asterisk's extension matching."""

from __future__ import annotations

import pytest

from dialplan.plan import RouteRule
from dialplan.plan.routes import choose_route, matches, pattern_problem


@pytest.mark.parametrize(("pattern", "number", "expected"), [
    ("100", "100", True), ("100", "1000", False),
    ("_1XX", "123", True), ("_1XX", "1234", False), ("_1XX", "223", False),
    ("_NXX", "123", False), ("_NXX", "223", True), ("_ZX", "10", True), ("_ZX", "01", False),
    ("_3[5-9]X", "371", True), ("_3[5-9]X", "341", False), ("_[137]", "3", True),
    ("_X.", "1", False), ("_X.", "12", True), ("_X!", "1", True), ("_0*#", "0*#", True),
])
def test_pattern_matching(pattern: str, number: str, expected: bool) -> None:
    assert matches(pattern, number) is expected


@pytest.mark.parametrize(("pattern", "problem"), [
    ("_1[X]", "bad set `[X]`: use digits and ranges like [1-5]"),
    ("_1[2", "`[` without `]`"), ("_X.X", "`.` and `!` may only end a pattern"),
    ("_", "empty pattern"), ("_1?", "unexpected `?`"), ("1 0", "not a number"),
])
def test_invalid_patterns_say_why(pattern: str, problem: str) -> None:
    assert pattern_problem(pattern) == problem


def rule(numbers: tuple[str, ...], callers: tuple[str, ...] = (), entry: int = 0) -> RouteRule:
    return RouteRule(numbers, callers, entry, str(entry))


RULES = [
    rule(("_X.",), entry=1), rule(("_1XX",), entry=2), rule(("100",), entry=3),
    rule((), entry=4), rule(("_1XX",), ("_555X",), entry=5), rule(("_12X",), entry=6),
]


@pytest.mark.parametrize(("called", "caller", "entry"), [
    ("100", "1", 3),      # exact beats every pattern
    ("123", "1", 6),      # _12X is more specific than _1XX
    ("199", "1", 2),      # _1XX beats _X.
    ("99", "1", 1),       # only _X. matches
    ("*", "1", 4),        # nothing matches: the default route
    ("100", "5551", 5),   # a caller filter beats an unfiltered exact match
])
def test_route_choice_order(called: str, caller: str, entry: int) -> None:
    chosen = choose_route(RULES, called, caller)
    assert chosen is not None and chosen.entry == entry


def test_no_route_without_a_default() -> None:
    assert choose_route([rule(("100",))], "200", "1") is None


def test_a_time_zone_that_names_a_folder_is_a_diagnostic() -> None:
    from dialplan.build import build_text

    build = build_text('schedule s { timezone "Europe" mon 09:00-17:00 }', "t.dialplan")
    assert [d.code for d in build.diagnostics] == ["E410"]
