"""Template filters that say values, and the pieces a rendered `say` is made of.

`{{ balance | money("EUR") }}` renders to words in the call's language. So that the
runtime can play recorded prompts for a said value instead of synthesizing it, each
filter result is also kept as a `Said` piece naming the prompt files that would say
it (`words/forty`, `words/two`; `digits/4`), and the text carries a marker at its place.
A marker carries a random token of this render and an index into its own list: one
forged by a caller (in a variable value) cannot guess the token and is dropped, so
call data never names a prompt file nor repeats a value.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from . import dates, numbers
from .numbers import WordingError

SCOPE = "\ue000scope"  # the variable a render's Scope goes under: no plan name can clash
_MARK = re.compile("\ue000([0-9a-f]{0,32}):([0-9]{1,4})\ue001")
_WORD = re.compile(r"\w+")
FILTERS = ("number", "ordinal", "digits", "money", "date", "time")


@dataclass(frozen=True)
class Said:
    """A piece of spoken text; for a said value, the recorded prompts that say it."""

    text: str
    prompts: tuple[str, ...] = ()


@dataclass
class Scope:
    """One render's language, the values said so far and what could not be said."""

    language: str
    pieces: list[Said] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    token: str = field(default_factory=lambda: secrets.token_hex(8))

    def add(self, piece: Said) -> str:
        self.pieces.append(piece)
        return f"\ue000{self.token}:{len(self.pieces) - 1}\ue001"

    def split(self, rendered: str) -> tuple[str, tuple[Said, ...]]:
        """The plain text and its pieces, in order, from a rendered template."""
        parts: list[Said] = []
        position = 0
        for found in _MARK.finditer(rendered):
            if found.start() > position:
                parts.append(Said(rendered[position:found.start()]))
            index = int(found[2])
            if found[1] == self.token and index < len(self.pieces):
                parts.append(self.pieces[index])
            position = found.end()
        if position < len(rendered):
            parts.append(Said(rendered[position:]))
        return "".join(p.text for p in parts), tuple(parts)


def word_prompts(words: str) -> tuple[str, ...]:
    return tuple(f"words/{w}" for w in _WORD.findall(words.lower()))


def _filter(name: str, word: Callable[..., str],
            prompts: Callable[[str, Any], tuple[str, ...]],
            plain: Callable[[Any], Any]) -> Callable[..., str]:
    @pass_context
    def apply(context: Context, value: Any, *args: Any) -> str:
        value = plain(value)
        scope = context.get(SCOPE)
        if not isinstance(scope, Scope):
            return str(value)
        try:
            words = word(value, *args, scope.language)
        except (WordingError, TypeError, ValueError, ArithmeticError, LookupError,
                NotImplementedError) as error:  # call data must never end the call
            scope.problems.append(f"{name}: {error}")
            return str(value)
        return scope.add(Said(words, prompts(words, value)))
    return apply


def _by_words(words: str, value: Any) -> tuple[str, ...]:
    return word_prompts(words)


def _digit_prompts(words: str, value: Any) -> tuple[str, ...]:
    return tuple(f"digits/{d}" for d in numbers.digit_list(value))


def _as_is(value: Any) -> Any:
    return value


def install(environment: Environment, plain: Callable[[Any], Any] = _as_is) -> None:
    """Add the value filters to a jinja2 environment; `plain` gives each filter the value
    behind what a template holds (a dotted name's group, say)."""
    environment.filters.update({
        "number": _filter("number", numbers.number, _by_words, plain),
        "ordinal": _filter("ordinal", numbers.ordinal, _by_words, plain),
        "digits": _filter("digits", numbers.digits, _digit_prompts, plain),
        "money": _filter("money", numbers.money, _by_words, plain),
        "date": _filter("date", _date, _by_words, plain),
        "time": _filter("time", dates.time, _by_words, plain),
    })


def _date(value: Any, *args: Any) -> str:
    """`date` or `date("full")`: the language comes last, after the optional style."""
    *style, language = args
    return dates.date(value, language, *style)
