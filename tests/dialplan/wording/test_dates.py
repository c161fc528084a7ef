"""Dates and times as words in the order and names of each language."""

from __future__ import annotations

import datetime as dt

import pytest

from dialplan.wording import dates
from dialplan.wording.numbers import WordingError

CASES = [
    ("en", "December twenty-fourth, twenty twenty-six", "two thirty PM", "nine zero five AM"),
    ("de", "vierundzwanzigste Dezember zweitausendsechsundzwanzig", "vierzehn dreißig",
     "neun null fünf"),
    ("fr", "vingt-quatre décembre deux mille vingt-six", "quatorze trente", "neuf zéro cinq"),
    ("es", "veinticuatro de diciembre de dos mil veintiséis", "catorce treinta",
     "nueve cero cinco"),
]


@pytest.mark.parametrize(("language", "date", "afternoon", "morning"), CASES,
                         ids=[case[0] for case in CASES])
def test_dates_and_times_are_worded_in_the_language(
        language: str, date: str, afternoon: str, morning: str) -> None:
    assert dates.date("2026-12-24", language) == date
    assert dates.time("14:30", language) == afternoon
    assert dates.time(dt.time(9, 5), language) == morning


def test_the_full_style_names_the_weekday_and_french_says_the_first() -> None:
    assert dates.date("2026-03-01", "fr", "full") == "dimanche premier mars deux mille vingt-six"
    assert dates.date(dt.date(2026, 3, 1), "en", "full") == "Sunday, March first, twenty twenty-six"


def test_a_whole_hour_on_a_twelve_hour_clock_has_no_minutes() -> None:
    assert dates.time("2026-12-24T12:00:00", "en") == "twelve PM"


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", "", "24:61"])
def test_what_is_not_a_date_or_time_is_refused(value: str) -> None:
    with pytest.raises(WordingError):
        dates.date(value, "en")
    with pytest.raises(WordingError):
        dates.time(value, "en")


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(WordingError, match="style"):
        dates.date("2026-12-24", "en", "weekday")
