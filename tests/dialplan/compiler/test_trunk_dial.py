"""`dial trunk NAME "..."`: a number (or a template of one) through a configured trunk;
what is written literally must be digits (E601), the trunk is named in the plan."""

from __future__ import annotations

import pytest

from dialplan import plan as p
from dialplan.build import build_text
from dialplan.fmt import format_source


def build(number: str, trunk: str = "carrier"):  # type: ignore[no-untyped-def]
    source = (f'route 1 -> main\nflow main {{ s: answer; dial trunk {trunk} "{number}" '
              '{ failed -> hangup }; hangup }')
    return build_text(source, "t.dialplan")


@pytest.mark.parametrize("number", ["030123456", "+4930123456", "{{ caller }}",
                                    "0{{ caller }}", "+49{{ caller }}"])
def test_dial_trunk_takes_numbers_and_templates_of_numbers(number: str) -> None:
    built = build(number)
    assert built.diagnostics == []
    assert built.plan is not None
    (dial,) = [n.action for n in built.plan.nodes if isinstance(n.action, p.Dial)]
    assert dial == p.Dial((number,), 30.0, None, False, "carrier")


@pytest.mark.parametrize(("number", "detail"), [
    ("sip:030@carrier", "a phone number is digits, with an optional leading `+` (up to 20)"),
    ("030 123", "a phone number is digits, with an optional leading `+` (up to 20)"),
    ("{{ caller }}@evil.example", "only digits (and a leading `+`) may be written around "
                                  "the template"),
    ("{{ caller }};user=phone", "only digits (and a leading `+`) may be written around "
                                "the template"),
])
def test_dial_trunk_refuses_what_can_never_be_a_number(number: str, detail: str) -> None:
    assert [(d.code, d.message) for d in build(number).diagnostics] == [
        ("E601", f"invalid trunk number `{number}`: {detail}")]


def test_dial_trunk_takes_exactly_one_number() -> None:
    source = 'route 1 -> main\nflow main { s: dial trunk carrier "030", "040"; hangup }'
    assert [d.code for d in build_text(source, "t.dialplan").diagnostics] == ["E102"]


def test_dial_trunk_formats_back_to_itself() -> None:
    text = ('route 1 -> main\n\nflow main {\n  s:\n    answer\n'
            '    dial trunk carrier "0{{ called }}" timeout 20s {\n'
            '      failed -> hangup\n    }\n    hangup\n}\n')
    assert format_source(text, "t.dialplan").text == text
