"""`during`: a schedule is closed on its holidays, taken as dates in its time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dialplan.machine.evaluate import is_open
from dialplan.plan import Schedule

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
EVERY_DAY = tuple((day, 0, 24 * 60) for day in range(7))


def office(**holidays: object) -> Schedule:
    return Schedule("office", "Europe/Berlin", EVERY_DAY, (), **holidays)  # type: ignore[arg-type]


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BERLIN)


def test_a_yearly_holiday_closes_that_day_in_every_year() -> None:
    christmas = office(yearly=(("12-25", "12-26"),))
    assert not is_open(christmas, at(2026, 12, 25))
    assert not is_open(christmas, at(2031, 12, 26))
    assert is_open(christmas, at(2031, 12, 27))


def test_a_yearly_range_over_the_years_end_closes_both_ends_and_nothing_between() -> None:
    new_year = office(yearly=(("12-31", "01-01"),))
    assert not is_open(new_year, at(2026, 12, 31))
    assert not is_open(new_year, at(2027, 1, 1))
    assert is_open(new_year, at(2027, 1, 2))
    assert is_open(new_year, at(2026, 12, 30))
    assert is_open(new_year, at(2026, 6, 15))


def test_a_calendar_holiday_closes_the_schedule() -> None:
    bavaria = office(calendars=("DE-BY",))
    assert not is_open(bavaria, at(2026, 6, 4))  # Corpus Christi
    assert is_open(bavaria, at(2026, 6, 5))


def test_calendar_holidays_are_local_dates_in_the_schedules_zone() -> None:
    bavaria = office(calendars=("DE-BY",))
    # 23:30 UTC on 3 June is already 4 June (Corpus Christi) in Berlin
    assert not is_open(bavaria, dt.datetime(2026, 6, 3, 23, 30, tzinfo=dt.UTC))
    # 22:30 UTC on 4 June is 00:30 on 5 June in Berlin: open again
    assert is_open(bavaria, dt.datetime(2026, 6, 4, 22, 30, tzinfo=dt.UTC))
