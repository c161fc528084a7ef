"""Which numbers a trunk may dial: the defaults refuse international and premium-rate
numbers (toll fraud), configured patterns widen them."""

import pytest

from dialplan.trunks.numbers import DEFAULT_ALLOW, DEFAULT_DENY, check_patterns, number_problem


@pytest.mark.parametrize("number", ["030123456", "0891234567", "112", "4711", "06912345"])
def test_national_and_local_numbers_pass_by_default(number: str) -> None:
    assert number_problem(number, DEFAULT_ALLOW, DEFAULT_DENY) is None


@pytest.mark.parametrize("number", ["0044201234567", "+4930123456", "09001234567",
                                    "0137123456", "11833", "19005551234", "19765551234",
                                    "0", "12"])
def test_international_premium_and_short_numbers_are_refused_by_default(number: str) -> None:
    assert number_problem(number, DEFAULT_ALLOW, DEFAULT_DENY) is not None


@pytest.mark.parametrize("text", ["123abc", "0301;user=x", "030@evil.example", "", "1" * 21,
                                  "030 123", "*123#", "%2B4930123456", "+", "++4930",
                                  "\u0660\u0663\u0660\u0661\u0662\u0663",  # Arabic-Indic
                                  "\uff10\uff13\uff10\uff11\uff12",  # full-width digits
                                  "030123456\n", "030123\r\n456", "030\x00123",
                                  "030123456;dp-trunk=other", "\u00b2\u00b3"])
def test_anything_but_digits_is_not_a_number(text: str) -> None:
    problem = number_problem(text, ("_X.", "_+X."), ())
    assert problem is not None and "not a phone number" in problem


def test_international_numbers_pass_when_a_pattern_allows_them() -> None:
    allow = ("_00[1-9].", "_+Z.")
    assert number_problem("0044201234567", allow, DEFAULT_DENY) is None
    assert number_problem("+4930123456", allow, DEFAULT_DENY) is None
    assert number_problem("09001234", allow, DEFAULT_DENY) is not None


def test_deny_wins_over_allow() -> None:
    problem = number_problem("09001234567", ("_0Z.",), ("_0900.",))
    assert problem is not None and "_0900." in problem


def test_a_bad_pattern_is_refused_with_its_text() -> None:
    with pytest.raises(ValueError, match=r"_0\[9"):
        check_patterns(["_0[9"])
