"""Schedules compile their holidays: full dates, yearly dates and ranges (also over the
year's end), and calendars whose region codes are checked with a did-you-mean."""

from __future__ import annotations

from dialplan.build import build_text
from tests.dialplan.transcript import compile_ok

FLOW = "\nroute 100 -> main\nflow main { s: if during office { hangup } }"


def schedule(entries: str) -> str:
    return f"schedule office {{\n  mon-fri 09:00-17:00\n  {entries}\n}}{FLOW}"


def problems(entries: str) -> list[tuple[str, str, str, str | None]]:
    build = build_text(schedule(entries), "test.dialplan")
    assert build.plan is None
    return [(d.code, f"{d.span.line}:{d.span.column}", d.message, d.hint)
            for d in build.diagnostics if d.is_error]


def test_yearly_dates_and_ranges_compile_apart_from_full_dates() -> None:
    plan = compile_ok(schedule("holiday 12-24..12-26, 01-01, 2026-05-20, 12-31..01-01"))
    office = plan.schedule_by_name["office"]
    assert office.yearly == (("12-24", "12-26"), ("01-01", "01-01"), ("12-31", "01-01"))
    assert office.holidays == (("2026-05-20", "2026-05-20"),)


def test_the_29th_of_february_is_a_real_yearly_date_and_the_30th_is_not() -> None:
    assert compile_ok(schedule("holiday 02-29")).schedules[0].yearly == (("02-29", "02-29"),)
    assert problems("holiday 02-30") == [
        ("E410", "3:11", "invalid schedule entry: not a real date", None)]


def test_a_range_from_a_full_date_to_a_yearly_date_is_refused() -> None:
    [(code, where, message, _)] = problems("holiday 2026-12-24..12-26")
    assert (code, where) == ("E410", "3:11")
    assert "from a full date to a full date" in message


def test_a_full_date_range_still_may_not_end_before_it_starts() -> None:
    assert problems("holiday 2026-12-26..2026-12-24")[0][2] == (
        "invalid schedule entry: holiday range ends before it starts")


def test_calendars_of_countries_and_subdivisions_compile() -> None:
    plan = compile_ok(schedule('holidays "DE-BY", "AT"\n  holidays "US-CA"'))
    assert plan.schedules[0].calendars == ("DE-BY", "AT", "US-CA")


def test_an_unknown_subdivision_is_an_error_at_its_string_with_a_suggestion() -> None:
    assert problems('holidays "DE-BYY"') == [
        ("E560", "3:12", "unknown holiday calendar `DE-BYY`: country `DE` has no subdivision "
         "`BYY`", "did you mean `DE-BY`?")]


def test_a_lower_case_code_is_refused_with_the_upper_case_one_suggested() -> None:
    [(code, _, message, hint)] = problems('holidays "de-by"')
    assert (code, hint) == ("E560", "did you mean `DE-BY`?")
    assert message.endswith("region codes are upper case")


def test_an_unknown_country_is_an_error() -> None:
    [(code, where, message, _)] = problems('holidays "XX"')
    assert (code, where) == ("E560", "3:12")
    assert message == "unknown holiday calendar `XX`: no holiday calendar for country `XX`"


def test_a_calendar_changes_the_plan_version() -> None:
    plain, bavarian = compile_ok(schedule("")), compile_ok(schedule('holidays "DE-BY"'))
    assert plain.version != bavarian.version
