"""Template filters that say values, and the pieces a rendered `say` is made of."""

from __future__ import annotations

from dialplan.templates import render_said
from dialplan.wording.languages import canonical, folder_names, spelling
from dialplan.wording.said import Said


def test_a_french_amount_is_a_piece_with_its_word_prompts() -> None:
    text, parts, problem = render_said("Solde : {{ b | money('EUR') }}.", {"b": "42.50"}, "fr")
    assert text == "Solde : quarante-deux euros et cinquante centimes."
    assert parts == (
        Said("Solde : "),
        Said("quarante-deux euros et cinquante centimes",
             ("words/quarante", "words/deux", "words/euros", "words/et", "words/cinquante",
              "words/centimes")),
        Said("."),
    )
    assert problem is None


def test_digits_name_the_digit_prompts() -> None:
    _, parts, _ = render_said("{{ caller | digits }}", {"caller": "5551"}, "de")
    assert parts == (Said("fünf fünf fünf eins", ("digits/5", "digits/5", "digits/5",
                                                 "digits/1")),)


def test_every_filter_renders_in_the_language() -> None:
    text, _, _ = render_said(
        "{{ n | number }} {{ n | ordinal }} {{ d | date('full') }} {{ t | time }}",
        {"n": 2, "d": "2026-12-24", "t": "08:15"}, "es")
    assert text == "dos segundo jueves, veinticuatro de diciembre de dos mil veintiséis " \
                   "ocho quince"


def test_a_value_that_cannot_be_said_stays_as_written_and_is_reported() -> None:
    text, parts, problem = render_said("Balance {{ b | money('EUR') }}", {"b": "n/a"}, "en")
    assert text == "Balance n/a"
    assert all(not part.prompts for part in parts)
    assert problem == "money: 'n/a' is not a number"


def test_a_marker_forged_by_the_caller_names_no_file() -> None:
    forged = "\ue000:0\ue001\ue000ab:9\ue001 ../../etc/passwd"
    text, parts, _ = render_said("Hi {{ caller_name }}, {{ 7 | number }}",
                                 {"caller_name": forged}, "en")
    assert text == "Hi  ../../etc/passwd, seven"
    prompts = [name for part in parts for name in part.prompts]
    assert prompts == ["words/seven"]


def test_languages_are_checked_and_spelled_regionally() -> None:
    assert canonical("fr-ch") == "fr_CH" and canonical("EN_us") == "en_US"
    assert canonical("klingon") is None and canonical("../fr") is None
    assert spelling("fr_CH") == "fr_CH" and spelling("de_AT") == "de"
    assert folder_names("fr-CH") == ("fr-CH", "fr_CH", "fr")


def test_a_language_that_looks_like_a_path_is_no_language() -> None:
    for code in ("../fr", "fr/../../etc", "fr\\x", "/fr", "fr-CH/..", "", "f" * 30):
        assert canonical(code) is None
        assert folder_names(code) == () or code == ""


def test_a_filter_given_the_wrong_arguments_leaves_the_value_and_says_why() -> None:
    text, _, problem = render_said("{{ 5 | money }} {{ 5 | number('x', 'y') }}", {}, "en")
    assert text == "5 5"
    assert problem is not None and problem.startswith("money: ")


def test_a_dotted_value_from_a_lookup_is_said() -> None:
    text, _, problem = render_said("{{ account.balance | money('EUR') }}",
                                   {"account": {"balance": 42.5}}, "de")
    assert (text, problem) == ("zweiundvierzig Euro und fünfzig Cent", None)
