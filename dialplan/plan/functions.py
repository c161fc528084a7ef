"""The functions expressions may call: names, argument types and what each does.

One table read by the compiler (arity and types, expr_types.py), the machine (which
performs them, machine/functions.py) and the editor tools (hover and completion). A
plan can call nothing else: there is no way to name Python from the language.

Types are the language's: `number`, `text`, `boolean`, `list`, and `any`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

NUMBER, TEXT, BOOLEAN, LIST, ANY = "number", "text", "boolean", "list", "any"


def number_text(value: int | float) -> str:
    """A number as `text()` and templates write it: `3`, `0.3`, `0.00001`, never `3.0`
    or `1e-05`."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return repr(value)
    if value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, type), in order
    required: int  # how many of `params` must be given; the rest are optional
    result: str
    doc: str
    example: str

    @property
    def signature(self) -> str:
        shown = [f"{name}: {kind}" if index < self.required else f"[{name}: {kind}]"
                 for index, (name, kind) in enumerate(self.params)]
        return f"{self.name}({', '.join(shown)}) -> {self.result}"


FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("length", (("value", ANY),), 1, NUMBER,
             "The number of characters of a text, or of items of a list.",
             'length("12345") == 5'),
    Function("upper", (("text", TEXT),), 1, TEXT, "The text in capitals.",
             'upper("abc") == "ABC"'),
    Function("lower", (("text", TEXT),), 1, TEXT, "The text in small letters.",
             'lower("ABC") == "abc"'),
    Function("slice", (("text", TEXT), ("start", NUMBER), ("end", NUMBER)), 2, TEXT,
             "Characters from `start` up to, not including, `end` (counted from 0; a "
             "negative position counts from the end). Positions must be whole numbers.",
             'slice("5551234", 0, 3) == "555"'),
    Function("digits", (("text", TEXT),), 1, TEXT,
             "Only the digits 0-9 of a text: a phone number without spaces, `+` or dashes.",
             'digits("+1 (555) 123-4567") == "15551234567"'),
    Function("number", (("text", ANY),), 1, NUMBER,
             "A text of digits (an optional `-`, an optional `.` and decimals) as a number; "
             "anything else fails. Collected digits are text: turn them into a number "
             "before arithmetic.",
             'number("0042.50") == 42.5'),
    Function("text", (("value", ANY),), 1, TEXT,
             "Any value as text, as a template would print it.", 'text(3) + "rd" == "3rd"'),
    Function("round", (("value", NUMBER), ("places", NUMBER)), 1, NUMBER,
             "Rounded to `places` decimals (0 by default), halves away from zero.",
             "round(2.675, 2) == 2.68"),
    Function("format_number", (("value", NUMBER), ("places", NUMBER)), 2, TEXT,
             "The number as text with exactly `places` decimals, halves away from zero.",
             'format_number(42.5, 2) == "42.50"'),
    Function("format_time", (("time", TEXT), ("pattern", TEXT)), 2, TEXT,
             "An ISO date or time (`2026-12-24`, `2026-12-24T15:30:00+01:00`, `15:30`) "
             "written with a strftime pattern (`%H:%M`, `%d %B %Y`, `%A`).",
             'format_time("2026-12-24T15:30:00", "%H:%M") == "15:30"'),
)}
