"""Numbers, ordinals, digit strings and amounts of money as words, by num2words and Babel.

Values arrive as call data: JSON numbers, collected digits (strings), decimals written
`42.50`. What cannot be read as the kind asked for raises WordingError; the template
filter then leaves the value as it was written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_name, get_currency_precision, is_currency
from num2words import num2words

from .languages import spelling

MAX_DIGITS = 64  # a digit string longer than this is not something to read out
MAX_MAGNITUDE = Decimal(10) ** 15  # num2words' largest sensible range in every language


class WordingError(ValueError):
    """The value cannot be said as asked (not a number, too large, unknown currency)."""


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise WordingError(f"{value!r} is not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise WordingError(f"{value!r} is not a number") from error
    if not number.is_finite() or abs(number) >= MAX_MAGNITUDE:
        raise WordingError(f"{value!r} is too large to say")
    return number


def number(value: Any, language: str) -> str:
    amount = to_decimal(value)
    whole = amount == amount.to_integral_value()
    return str(num2words(int(amount) if whole else amount, lang=spelling(language)))


def ordinal(value: Any, language: str) -> str:
    amount = to_decimal(value)
    if amount != amount.to_integral_value() or amount < 0:
        raise WordingError(f"{value!r} has no ordinal")
    return str(num2words(int(amount), lang=spelling(language), to="ordinal"))


def digit_list(value: Any) -> list[int]:
    """The digits of `value` in order; other characters (`+`, spaces, dashes) are skipped."""
    digits = [int(ch) for ch in str(value) if ch.isascii() and ch.isdigit()]
    if not digits or len(digits) > MAX_DIGITS:
        raise WordingError(f"{value!r} has no digits to say" if not digits
                           else f"more than {MAX_DIGITS} digits")
    return digits


def digits(value: Any, language: str) -> str:
    lang = spelling(language)
    return " ".join(str(num2words(d, lang=lang)) for d in digit_list(value))


def money(value: Any, currency: str, language: str) -> str:
    """`42.5`, "EUR" -> "forty-two euro, fifty cents". num2words words the currencies it
    knows for the language; for others, the amount is said as a number followed by
    Babel's name of the currency ("un virgule cinq francs suisses")."""
    code = str(currency).upper()
    if not is_currency(code):
        raise WordingError(f"unknown currency {currency!r}")
    amount = to_decimal(value).quantize(Decimal(1).scaleb(-get_currency_precision(code)))
    try:
        return str(num2words(amount, lang=spelling(language), to="currency", currency=code))
    except NotImplementedError:
        name = get_currency_name(code, count=amount, locale=language)
        return f"{number(amount.normalize(), language)} {name}"
