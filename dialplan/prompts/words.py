"""What to record so that said values play from recordings: the prompt names
(`words/<word>`, `digits/<d>`) a language needs, worded by the same filters the calls
use, so the list and the calls never disagree.

Numbers are covered up to the billions as num2words writes them (words for 0-999 and
for the thousands, millions and billions they combine with), ordinals 1-31 for dates,
the month and weekday names, the words of decimals and negatives, and the amounts of
the given currencies. A language that writes numbers as one word (German
"zweihundertvierunddreißig") needs one recording per number: the list says so by
its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..wording import dates, numbers
from ..wording.said import word_prompts
from .recorded import recorded

_SCALES = (1000, 2000, 10**6, 2 * 10**6, 10**9, 2 * 10**9)


def _spoken(language: str, currencies: Sequence[str]) -> Iterable[str]:
    for n in (*range(1000), *_SCALES, *(k * 1000 for k in range(3, 1000, 1))):
        yield numbers.number(n, language)
    yield from (numbers.number(v, language) for v in ("1.5", "-1"))
    yield from (numbers.ordinal(n, language) for n in range(1, 32))
    for month in range(1, 13):
        day = dt.date(2026, month, 1)
        yield dates.date(day, language, "full")
        yield dates.date(day + dt.timedelta(days=month % 7), language, "full")
    yield from (dates.time(dt.time(h, 0), language) for h in (0, 12, 13))
    for code in currencies:
        yield from (numbers.money(v, code, language) for v in ("1", "2", "0.01", "0.02", "1.5"))


def needed(language: str, currencies: Sequence[str] = ()) -> list[str]:
    """Every prompt name the values of `language` can need, digits first, then words."""
    words = dict.fromkeys(name for text in _spoken(language, currencies)
                          for name in word_prompts(text))
    return [f"digits/{d}" for d in range(10)] + sorted(words)


def missing(names: Iterable[str], folders: Sequence[Path], language: str) -> list[str]:
    return [name for name in names if recorded(name, folders, language) is None]
