"""Instants as people write them (`2026-12-24 09:30 Europe/Berlin`), for `serve --at`,
`simulate --at` and scenario files, and a clock pinned to one of them."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable

_INSTANT = re.compile(
    r"\s*(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{1,2}:\d{2}(:\d{2})?)(\s+(?P<zone>\S+))?\s*")


class BadInstant(ValueError):
    """An instant written in a form we do not read."""


def parse_instant(text: str) -> dt.datetime:
    """`2026-12-24 09:30 Europe/Berlin` (zone optional, UTC when left out): tz-aware."""
    found = _INSTANT.fullmatch(text)
    if found is None:
        raise BadInstant(f"cannot read {text!r}: write it as `2026-12-24 09:30 Europe/Berlin`")
    zone_name = found["zone"] or "UTC"
    try:
        zone = dt.UTC if zone_name.upper() == "UTC" else zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise BadInstant(f"unknown time zone {zone_name!r}") from error
    try:
        naive = dt.datetime.fromisoformat(f"{found['date']} {found['time'].zfill(5)}")
    except ValueError as error:
        raise BadInstant(f"cannot read {text!r}: {error}") from error
    return naive.replace(tzinfo=zone)


def clock_from(start: dt.datetime, now: Callable[[], dt.datetime]) -> Callable[[], dt.datetime]:
    """A clock that starts at `start` and then runs at real speed, in `start`'s zone
    (so `hour` and `weekday` read as they would there)."""
    offset = start - now()
    zone = start.tzinfo
    return lambda: (now() + offset).astimezone(zone)
