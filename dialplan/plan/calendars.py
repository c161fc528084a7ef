"""National and regional holiday calendars, from the `holidays` library, by region code.

A region code is a country (`DE`, or its alpha-3 `DEU`) or a country and one of its
subdivisions joined by `-` (`DE-BY`, as in ISO 3166-2), exactly as the library lists
them. The compiler asks `region_problem` so a plan never names a calendar that does not
exist; the machine asks `is_holiday` with a local date, which is pure computation (the
library knows the rules, Easter included, for every year), kept per code and year.

`holidays` is imported on first use: it takes a tenth of a second to load, which plans
without a calendar, and every command that never evaluates one, should not pay.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any

from ..diagnostics import did_you_mean


def split(code: str) -> tuple[str, str | None]:
    """`DE-BY` -> (`DE`, `BY`); `DE` -> (`DE`, None)."""
    country, _, subdivision = code.partition("-")
    return country, subdivision or None


def _library() -> Any:
    import holidays  # loaded on first use, see the module's docstring

    return holidays


@cache
def _countries() -> frozenset[str]:
    """Every country code the library has (alpha-2, alpha-3 and aliases such as `UK`),
    read from its registry without loading any country."""
    from holidays.registry import EntityLoader

    return frozenset(EntityLoader.get_country_codes())


@cache
def _subdivisions(country: str) -> frozenset[str]:
    """The subdivision codes of one known country (loads that country only)."""
    return frozenset(_library().country_holidays(country).subdivisions)


def _known(code: str) -> bool:
    """Checked against the library's lists, never looked up as a name: the library finds a
    country by attribute, so `HolidayBase` or `utils` would otherwise pass or crash."""
    country, subdivision = split(code)
    if code.endswith("-") or country not in _countries():
        return False
    return subdivision is None or subdivision in _subdivisions(country)


def _candidates(country: str | None) -> list[str]:
    """Every country code, or with a country every `country-subdivision` code (for an
    unknown country, of every country: slow, but only a mistake pays for it)."""
    if country is None:
        return sorted(_countries())
    lands = [country] if country in _countries() else sorted(_countries())
    return [f"{land}-{sub}" for land in lands for sub in sorted(_subdivisions(land))]


def region_codes() -> list[str]:
    """Every code a schedule may name, countries first (for the editor's completion)."""
    return [*_candidates(None), *(f"{country}-{sub}" for country in sorted(_countries())
                                  for sub in sorted(_subdivisions(country)))]


def region_problem(code: str) -> tuple[str, str | None] | None:
    """Why `code` names no calendar and a did-you-mean hint, or None when it names one."""
    if _known(code):
        return None
    if _known(code.upper()):
        return "region codes are upper case", f"did you mean `{code.upper()}`?"
    country, subdivision = split(code)
    if subdivision is None and not code.endswith("-"):
        return f"no holiday calendar for country `{country}`", did_you_mean(code, _candidates(None))
    if not _known(country.upper()):
        return (f"no holiday calendar for country `{country}`",
                did_you_mean(code, _candidates(country.upper())))
    return (f"country `{country}` has no subdivision `{subdivision or ''}`",
            did_you_mean(code, _candidates(country.upper())))


@lru_cache(maxsize=256)
def _dates(code: str, year: int) -> frozenset[dt.date]:
    country, subdivision = split(code)
    calendar = _library().country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(day for day in calendar if day.year == year)


def is_holiday(code: str, day: dt.date) -> bool:
    """Whether `day` (a local date) is a public holiday in the region `code`."""
    return day in _dates(code, day.year)
