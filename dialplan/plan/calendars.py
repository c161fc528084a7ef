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
def _supported() -> dict[str, frozenset[str]]:
    """Country code -> its subdivision codes: the library's public list, read once (it
    loads every country, a few tenths of a second). Codes are checked against it, never
    looked up as names: the library finds a country by attribute, so `HolidayBase` or
    `utils` would otherwise pass or crash."""
    supported = _library().list_supported_countries()
    return {country: frozenset(subdivisions) for country, subdivisions in supported.items()}


def _known(code: str) -> bool:
    country, subdivision = split(code)
    if code.endswith("-"):
        return False
    subdivisions = _supported().get(country)
    return subdivisions is not None and (subdivision is None or subdivision in subdivisions)


def _candidates(country: str | None) -> list[str]:
    """Every country code, or with a country every `country-subdivision` code."""
    supported = _supported()
    if country is None:
        return sorted(supported)
    if country in supported:
        return [f"{country}-{subdivision}" for subdivision in sorted(supported[country])]
    return [f"{land}-{sub}" for land, subs in supported.items() for sub in sorted(subs)]


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
