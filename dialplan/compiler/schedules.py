"""Schedule and queue declarations: checked and turned into plan records.

A schedule's holidays are full dates, yearly month-days and whole calendars of public
holidays (`holidays "DE-BY"`), whose region codes are checked here against the library
that the machine later asks (plan/calendars.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from .. import plan
from ..diagnostics import Report, did_you_mean
from ..plan.calendars import region_problem
from ..syntax import ast
from ..syntax.exprs import Literal
from .options import QUEUE_SETTINGS, check_options

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
QUEUE_STRATEGIES = ("ringall", "roundrobin")


def _minutes(text: str) -> int | None:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _days(hours: ast.Hours, report: Report) -> list[int]:
    names = [hours.first_day] + ([hours.last_day] if hours.last_day else [])
    indexes = []
    for name in names:
        if name.text.lower() not in DAYS:
            report.emit("E410", name.span, did_you_mean(name.text.lower(), DAYS),
                        detail=f"unknown day `{name.text}` (use mon, tue, ... sun)")
            return []
        indexes.append(DAYS.index(name.text.lower()))
    first, last = indexes[0], indexes[-1]
    return list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(last + 1)]


def _hours(hours: ast.Hours, report: Report) -> list[tuple[int, int, int]]:
    days = _days(hours, report)
    result: list[tuple[int, int, int]] = []
    for start_lit, end_lit in hours.ranges:
        start, end = _minutes(str(start_lit.value)), _minutes(str(end_lit.value))
        if start is None or end is None:
            report.emit("E410", start_lit.span, detail="times run from 00:00 to 24:00")
        elif end <= start:
            report.emit("E410", start_lit.span,
                        detail=f"{start_lit.value}-{end_lit.value} ends before it starts; "
                        "split a range that passes midnight in two")
        else:
            result.extend((day, start, end) for day in days)
    return result


def _day(literal: Literal) -> dt.date | None:
    """A full date as written, or a yearly MM-DD placed in a leap year (so 02-29 is real)."""
    text = str(literal.value)
    try:
        return dt.date.fromisoformat(text if len(text) > 5 else f"2000-{text}")
    except ValueError:
        return None


def _holidays(schedule: ast.Schedule, report: Report
              ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The dated ranges and the yearly ranges (MM-DD; one ending before it starts wraps
    over the year's end: `12-31..01-01`)."""
    dated: list[tuple[str, str]] = []
    yearly: list[tuple[str, str]] = []
    for first, last in schedule.holidays:
        start, end = _day(first), _day(last)
        if start is None or end is None:
            report.emit("E410", (first if start is None else last).span, detail="not a real date")
        elif len(str(first.value)) != len(str(last.value)):
            report.emit("E410", first.span, detail="a range runs from a full date to a full "
                        "date (2026-12-24..2026-12-26) or from a yearly date to a yearly date "
                        "(12-24..12-26), not from one to the other")
        elif len(str(first.value)) == 5:
            yearly.append((str(first.value), str(last.value)))
        elif end < start:
            report.emit("E410", first.span, detail="holiday range ends before it starts")
        else:
            dated.append((start.isoformat(), end.isoformat()))
    return dated, yearly


def _calendars(schedule: ast.Schedule, report: Report) -> list[str]:
    codes = []
    for literal in schedule.calendars:
        code = str(literal.value)
        problem = region_problem(code)
        if problem is None:
            codes.append(code)
        else:
            report.emit("E560", literal.span, problem[1], region=code, detail=problem[0])
    return codes


def compile_schedule(schedule: ast.Schedule, report: Report) -> plan.Schedule:
    timezone = "UTC"
    if schedule.timezone is not None:
        timezone = str(schedule.timezone.value)
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            report.emit("E410", schedule.timezone.span,
                        detail=f"unknown time zone `{timezone}` (use e.g. Europe/Berlin)")
    hours = [entry for item in schedule.hours for entry in _hours(item, report)]
    dated, yearly = _holidays(schedule, report)
    return plan.Schedule(schedule.name.text, timezone, tuple(hours), tuple(dated),
                         tuple(yearly), tuple(_calendars(schedule, report)))


def compile_queue(queue: ast.QueueDecl, report: Report) -> plan.Queue:
    owner = queue.name.text
    settings = check_options(queue.settings, QUEUE_SETTINGS, report,
                             ("E415", {"kind": "queue", "owner": owner}))
    if "agents" not in settings and not any(s.name.text == "agents" for s in queue.settings):
        report.emit("E414", queue.name.span, verb=f"queue {owner}",
                    what="`agents` (the SIP URIs to ring)")
    strategy = settings.get("strategy", "ringall")
    if strategy not in QUEUE_STRATEGIES:
        where = next((s.span for s in queue.settings if s.name.text == "strategy"), queue.span)
        report.emit("E402", where, did_you_mean(strategy, QUEUE_STRATEGIES),
                    name="strategy", expected=" or ".join(QUEUE_STRATEGIES), got=strategy)
    return plan.Queue(
        name=owner,
        agents=settings.get("agents", ()),
        music=settings.get("music"),
        max_wait=settings.get("max_wait", 300.0),
        ring_timeout=settings.get("ring_timeout", 20.0),
        strategy=strategy,
        max_callers=settings.get("max_callers", 100),
    )
