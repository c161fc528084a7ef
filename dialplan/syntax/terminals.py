"""Human names for grammar terminals, so errors read "expected `{`", not "expected _LBRACE"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lark import Token

from ..diagnostics import did_you_mean
from .grammar import tree_parser

_PUNCTUATION = {
    "_ARROW": "`->`", "_EQ": "`=`", "_COMMA": "`,`", "_DOT": "`.`", "_DOTDOT": "`..`",
    "_MINUS": "`-`", "_SEMI": "`;`", "_LBRACE": "`{`", "_RBRACE": "`}`", "_LSQB": "`[`",
    "_RSQB": "`]`", "_LPAR": "`(`", "_RPAR": "`)`", "COMP_OP": "a comparison",
    "_PLUS": "`+`", "_STAR": "`*`", "_SLASH": "`/`", "_PERCENT": "`%`",
}
_KINDS = {
    "NAME": "a name", "LABEL": "a state label (`name:`)", "STRING": "a string",
    "NUMBER": "a number", "DURATION": "a duration (e.g. `5s`)", "PATTERN": "a number pattern",
    "KEY": "a DTMF key", "EVENT": "a branch event", "DATE": "a date (YYYY-MM-DD)",
    "MONTH_DAY": "a yearly date (MM-DD)",
    "TIME": "a time (HH:MM)", "TRUE": "`true`", "FALSE": "`false`", "DEFAULT": "`default`",
    "$END": "end of file", "DOTTED_NAME": "a dotted name",
}
# Statement keywords are summarised as one entry, or the list would be two dozen long.
_STATEMENTS = {
    "ANSWER", "RINGING", "PROGRESS", "PLAY", "SAY", "COLLECT", "MENU", "LISTEN", "SET", "IF",
    "GOTO", "RUN", "RETURN", "RETRY", "TRANSFER", "DIAL", "QUEUE", "RECORD", "HANGUP", "WAIT",
    "FETCH",
}


def describe_terminal(name: str) -> str:
    if name in _PUNCTUATION:
        return _PUNCTUATION[name]
    if name in _KINDS:
        return _KINDS[name]
    return f"`{name.lower()}`"


def describe_expected(names: Iterable[str]) -> str:
    names = set(names)
    parts: list[str] = []
    if len(names & _STATEMENTS) > 3:
        names -= _STATEMENTS
        parts.append("a statement")
    parts.extend(sorted(describe_terminal(n) for n in names))
    if len(parts) > 6:
        parts = [*parts[:5], "something else"]
    return " or ".join(parts) if len(parts) <= 2 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def describe_token(token: Token) -> str:
    if token.type in _KINDS:
        kind = _KINDS[token.type].split(" (")[0]  # the example is the token itself
        return f"{kind} `{token}`"
    return f"`{token}`"


@cache
def branch_events() -> tuple[str, ...]:
    """The words the EVENT terminal takes (`noinput`, `busy`, ...), read from the grammar."""
    pattern = tree_parser().get_terminal("EVENT").pattern.value
    pattern = re.sub(r"\(\?=[^)]*\)", "", pattern)  # lookaheads (`timeout` before `->`)
    return tuple(re.findall(r"[a-z]+", pattern.split(")")[0]))


def suggestion(token: Token, expected: Iterable[str]) -> str | None:
    """A did-you-mean for a name written where a keyword-like token belongs (a misspelt
    branch event such as `noinptu`)."""
    if token.type == "NAME" and "EVENT" in set(expected):
        return did_you_mean(str(token), branch_events())
    return None
