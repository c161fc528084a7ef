"""Region codes name calendars of the `holidays` library; the machine asks them by date."""

from __future__ import annotations

import datetime as dt

import pytest

from dialplan.plan.calendars import is_holiday, region_problem, split


def test_codes_split_into_country_and_subdivision() -> None:
    assert split("DE-BY") == ("DE", "BY")
    assert split("DE") == ("DE", None)
    assert split("DE-Baden-Württemberg") == ("DE", "Baden-Württemberg")


def test_countries_subdivisions_and_alpha3_codes_are_known() -> None:
    assert [region_problem(code) for code in ("DE", "DE-BY", "DEU", "US-CA")] == [None] * 4


@pytest.mark.parametrize("code", ["", "-", "DE-", "HolidayBase", "utils", "country_holidays",
                                  "__init__", "../etc", "DE-BY-XX", "x" * 300])
def test_names_of_the_library_itself_and_odd_text_are_no_region(code: str) -> None:
    problem = region_problem(code)
    assert problem is not None and problem[0]


def test_a_misspelt_country_with_a_subdivision_is_suggested_across_countries() -> None:
    problem = region_problem("DX-BY")
    assert problem == ("no holiday calendar for country `DX`", "did you mean `DE-BY`?")


def test_corpus_christi_is_a_holiday_in_bavaria_but_not_in_berlin() -> None:
    corpus_christi = dt.date(2026, 6, 4)
    assert is_holiday("DE-BY", corpus_christi)
    assert not is_holiday("DE-BE", corpus_christi)
    assert not is_holiday("DE", corpus_christi)


def test_movable_feasts_move_with_the_year() -> None:
    assert is_holiday("DE", dt.date(2027, 3, 29))  # Easter Monday 2027
    assert not is_holiday("DE", dt.date(2026, 3, 30))
