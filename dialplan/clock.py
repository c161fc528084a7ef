"""Parsing an instant as people write it: `2026-12-24 09:30 Europe/Berlin`, or ISO 8601.

Used to pin the clock of `serve --at` and `simulate --at`, so schedules can be tried
and tested at any date."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable


def parse_instant(text: str) -> dt.datetime:
    """A timezone-aware datetime; ValueError with a readable reason otherwise."""
    parts = text.strip().split()
    zone: dt.tzinfo = dt.UTC
    if len(parts) == 3:
        try:
            zone = zoneinfo.ZoneInfo(parts.pop())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
            raise ValueError(f"unknown time zone in {text!r}") from error
    try:
        instant = dt.datetime.fromisoformat("T".join(parts))
    except ValueError as error:
        raise ValueError(f"{text!r} is not `YYYY-MM-DD HH:MM [Zone/Name]`") from error
    return instant if instant.tzinfo else instant.replace(tzinfo=zone)


def clock_from(start: dt.datetime, now: Callable[[], dt.datetime]) -> Callable[[], dt.datetime]:
    """A clock that starts at `start` and then runs at real speed, in `start`'s zone
    (so `hour` and `weekday` read as they would there)."""
    offset = start - now()
    zone = start.tzinfo
    return lambda: (now() + offset).astimezone(zone)
