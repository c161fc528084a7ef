"""Dates and times as words: Babel gives each language's order and month and day names,
num2words the numbers in them.

Babel's pattern for the language is taken field by field: names (`MMMM`, `EEEE`, `a`)
are Babel's words, numbers are spelled: the year as a year ("twenty twenty-six"), the
day as an ordinal where the language writes it so (English "December twenty-fourth",
German "24." -> "vierundzwanzigste"), else as a number; minutes below ten as "zero
five", like a clock is read.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal, cast

from babel.dates import format_date, format_time, get_date_format, get_time_format, parse_pattern
from num2words import num2words

from .languages import spelling
from .numbers import WordingError

ORDINAL_DAYS = frozenset({"en"})  # languages that say the day of a date as an ordinal
ORDINAL_FIRST = frozenset({"fr"})  # ... only the first of the month ("le premier mars")
_DATE_STYLES = ("full", "long", "medium", "short")
Style = Literal["full", "long", "medium", "short"]


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError as error:
        raise WordingError(f"{value!r} is not a date like 2026-12-24") from error


def to_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = str(value).strip()
    try:
        return dt.time.fromisoformat(text) if "T" not in text and "-" not in text \
            else dt.datetime.fromisoformat(text).time()
    except ValueError as error:
        raise WordingError(f"{value!r} is not a time like 14:30") from error


@lru_cache(maxsize=256)
def _date_pieces(style: Style, language: str) -> tuple[tuple[str, str], ...]:
    return tuple(_fields(get_date_format(style, locale=language).pattern))


@lru_cache(maxsize=256)
def _time_pieces(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(_fields(get_time_format("short", locale=language).pattern))


def _fields(pattern: str) -> list[tuple[str, str]]:
    """A Babel pattern as (kind, text) pieces: ("field", "MMMM") or ("text", ", ")."""
    return _split(str(parse_pattern(pattern).format))


def _split(template: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    rest = template
    while "%(" in rest:
        before, _, after = rest.partition("%(")
        name, _, rest = after.partition(")s")
        out += [("text", before.replace("%%", "%")), ("field", name)]
    return [*out, ("text", rest.replace("%%", "%"))]


def date(value: Any, language: str, style: str = "long") -> str:
    if style not in _DATE_STYLES:
        raise WordingError(f"date style {style!r}: use one of {', '.join(_DATE_STYLES)}")
    day, lang = to_date(value), spelling(language)
    pieces = _date_pieces(cast(Style, style), language)
    words: list[str] = []
    for index, (kind, text) in enumerate(pieces):
        if kind == "text":
            words.append(text)
        elif text.startswith("y"):
            words.append(num2words(day.year, lang=lang, to="year"))
        elif text.startswith("d"):
            after = pieces[index + 1][1] if index + 1 < len(pieces) else ""
            words.append(_day(day.day, lang, dotted=after.startswith(".")))
        elif text.startswith("M") and len(text) <= 2:
            words.append(format_date(day, "MMMM", locale=language))
        else:
            words.append(format_date(day, text, locale=language))
    return _tidy("".join(words))


def time(value: Any, language: str) -> str:
    moment, lang = to_time(value), spelling(language)
    pieces = _time_pieces(language)
    twelve_hour = any(kind == "field" and text.startswith("h") for kind, text in pieces)
    words: list[str] = []
    for kind, text in pieces:
        if kind == "text":
            words.append(" " if text.strip() in (":", ".", "h") else text)
        elif text[0] in "Hh":
            hour = moment.hour if text[0] == "H" else (moment.hour % 12 or 12)
            words.append(num2words(hour, lang=lang))
        elif text[0] == "m":
            words.append("" if twelve_hour and moment.minute == 0
                         else _minutes(moment.minute, lang))
        else:
            words.append(format_time(moment, text, locale=language))
    return _tidy("".join(words))


def _day(day: int, lang: str, dotted: bool) -> str:
    """The day of the month: an ordinal where the language says it so (a dot after the
    day, German "24.", marks an ordinal too)."""
    base = lang.split("_")[0]
    ordinal = dotted or base in ORDINAL_DAYS or (day == 1 and base in ORDINAL_FIRST)
    return str(num2words(day, lang=lang, to="ordinal" if ordinal else "cardinal"))


def _minutes(minute: int, lang: str) -> str:
    zero = num2words(0, lang=lang)
    if minute < 10:
        return f"{zero} {num2words(minute, lang=lang)}"
    return str(num2words(minute, lang=lang))


def _tidy(text: str) -> str:
    """Dots after spelled numbers (German "24.") and doubled spaces go."""
    return " ".join(text.replace(". ", " ").split())
