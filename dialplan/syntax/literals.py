"""Decoding of literal tokens: strings with escapes, numbers, durations."""

from __future__ import annotations

import re

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_DURATION_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def unescape(body: str) -> tuple[str, list[tuple[int, str]]]:
    """Decode the inside of a string literal; also return (offset, escape) of bad escapes."""
    bad: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        bad.append((match.start(), match.group(0)))
        return match.group(0)

    return _ESCAPE_RE.sub(replace, body), bad


def parse_number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse_duration(text: str) -> float:
    match = _DURATION_RE.fullmatch(text)
    assert match, text  # the grammar's DURATION terminal guarantees the shape
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
