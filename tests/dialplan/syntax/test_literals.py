"""Literals that cannot become values are diagnostics at their place, never a crash:
escapes that name no character, numbers too long to be real values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dialplan.build import build_text
from dialplan.syntax.literals import unescape

HEAD = "route 1 -> main\n"
NOT_A_CHARACTER = ("not a character: escapes name U+0000 to U+10FFFF, "
                   "except the surrogates U+D800 to U+DFFF")


def found(source: str) -> list[tuple[str, str, str, str | None]]:
    build = build_text(HEAD + source, "t.dialplan")
    assert build.plan is None
    return [(d.code, f"{d.span.line}:{d.span.column}", d.message, d.hint)
            for d in build.diagnostics]


@pytest.mark.parametrize("escape", ["\\U00110000", "\\UFFFFFFFF", "\\uD800", "\\uDFFF",
                                    "\\U0000DC00"])
def test_escape_naming_no_character_is_an_invalid_escape(escape: str) -> None:
    assert found(f'flow main {{ s: say "a{escape}" hangup }}') == [
        ("E104", "2:22", f"invalid escape {escape} in string", NOT_A_CHARACTER)]


def test_escapes_up_to_u10ffff_outside_the_surrogates_decode() -> None:
    assert unescape("\\U0010FFFF\\uD7FF\\uE000\\U0001F600") == (
        "\U0010ffff\ud7ff\ue000\U0001f600", [])


@pytest.mark.parametrize(("literal", "detail"), [
    ("9" * 1001, "more than 1000 characters"), ("9" * 5000, "more than 1000 characters"),
    ("9" * 400 + ".5", "too large"), ("9" * 400 + "s", "too large"),
    ("9" * 307 + "h", "too large")])
def test_number_too_long_to_be_a_value_is_out_of_range(literal: str, detail: str) -> None:
    kind = "duration" if literal[-1].isalpha() else "number"
    problems = found(f"flow main {{ s: if caller == {literal} {{ hangup }} }}")
    assert ("E404", "2:29", f"{kind} out of range: {detail}", None) in problems


def test_any_finite_float_written_out_in_full_is_a_number() -> None:
    largest = format(Decimal(repr(1.7976931348623157e308)), "f") + ".0"
    build = build_text(HEAD + f"flow main {{ s: if caller == {largest} {{ hangup }} }}", "t")
    assert build.ok, build.diagnostics


def test_number_too_long_in_a_range_or_option_is_out_of_range() -> None:
    codes = [code for code, *_ in found('flow main { s: collect p "x" digits 1..' + "9" * 1400
                                        + "\n hangup cause " + "4" * 5000 + " }")]
    assert codes.count("E404") >= 2
