"""Decoding of literal tokens: strings with escapes, numbers, durations."""

from __future__ import annotations

import math
import re

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_DURATION_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
MAX_NUMBER_CHARS = 1000  # any finite float written out in full is shorter


def unescape(body: str) -> tuple[str, list[tuple[int, str]]]:
    """Decode the inside of a string literal; also return (offset, escape) of bad escapes."""
    bad: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code[0] in "uU" and len(code) > 1 and is_scalar(int(code[1:], 16)):
            return chr(int(code[1:], 16))
        bad.append((match.start(), match.group(0)))
        return match.group(0)

    return _ESCAPE_RE.sub(replace, body), bad


def is_scalar(value: int) -> bool:
    """Whether a code point is a character text can hold: at most U+10FFFF and not a
    surrogate (half of a UTF-16 pair alone cannot be encoded, spoken or printed)."""
    return value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF


def number_problem(text: str) -> str | None:
    """Why a number literal (or a duration) cannot be a value, or None: past this length
    Python refuses to convert an int, and a float can overflow to infinity."""
    if len(text) > MAX_NUMBER_CHARS:
        return f"more than {MAX_NUMBER_CHARS} characters"
    value = parse_duration(text) if text[-1].isalpha() else parse_number(text)
    return None if math.isfinite(value) else "too large"


def parse_number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse_duration(text: str) -> float:
    match = _DURATION_RE.fullmatch(text)
    assert match, text  # the grammar's DURATION terminal guarantees the shape
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
