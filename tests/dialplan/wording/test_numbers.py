"""Numbers, ordinals, digits and amounts worded in English, German, French and Spanish."""

from __future__ import annotations

import pytest

from dialplan.wording import numbers
from dialplan.wording.numbers import WordingError

CASES = [
    # (language, number 42, ordinal 3, digits "+49 711", money 42.50 EUR)
    ("en", "forty-two", "third", "four nine seven one one", "forty-two euro, fifty cents"),
    ("de", "zweiundvierzig", "dritte", "vier neun sieben eins eins",
     "zweiundvierzig Euro und fünfzig Cent"),
    ("fr", "quarante-deux", "troisième", "quatre neuf sept un un",
     "quarante-deux euros et cinquante centimes"),
    ("es", "cuarenta y dos", "tercero", "cuatro nueve siete uno uno",
     "cuarenta y dos euros con cincuenta céntimos"),
]


@pytest.mark.parametrize(("language", "number", "ordinal", "digits", "money"), CASES,
                         ids=[case[0] for case in CASES])
def test_each_kind_of_value_is_worded_in_the_language(
        language: str, number: str, ordinal: str, digits: str, money: str) -> None:
    assert numbers.number("42", language) == number
    assert numbers.ordinal(3, language) == ordinal
    assert numbers.digits("+49 711", language) == digits
    assert numbers.money("42.5", "EUR", language) == money


def test_decimals_and_negative_numbers_are_said() -> None:
    assert numbers.number("3.5", "de") == "drei Komma fünf"
    assert numbers.number(-7, "en") == "minus seven"


def test_a_currency_num2words_lacks_is_said_with_babels_name() -> None:
    assert numbers.money(1000, "JPY", "fr") == "mille yens japonais"
    assert numbers.money("1.5", "CHF", "en") == "one point five Swiss francs"


def test_an_amount_is_rounded_to_the_currencys_cents() -> None:
    assert numbers.money("9.999", "USD", "en") == "ten dollars, zero cents"


@pytest.mark.parametrize(("call", "why"), [
    (lambda: numbers.number("abc", "en"), "not a number"),
    (lambda: numbers.number(True, "en"), "not a number"),
    (lambda: numbers.number("1e400", "en"), "too large"),
    (lambda: numbers.number("NaN", "en"), "too large"),
    (lambda: numbers.ordinal("2.5", "en"), "no ordinal"),
    (lambda: numbers.digits("abc", "en"), "no digits"),
    (lambda: numbers.digits("1" * 65, "en"), "more than 64"),
    (lambda: numbers.money(1, "EUROS", "en"), "unknown currency"),
])
def test_what_cannot_be_said_is_refused_with_a_reason(call: object, why: str) -> None:
    with pytest.raises(WordingError, match=why):
        call()  # type: ignore[operator]
