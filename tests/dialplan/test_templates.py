"""`say` templates over dotted variables: nested reads, a name that is both a value and a
prefix, lists from JSON, and the sandbox still closed."""

from __future__ import annotations

import pytest

from dialplan.templates import render

VARIABLES = {
    "caller": "5551234", "caller.extension": "42",
    "account.balance": 42.5, "account.owner.name": "Ann", "account.limit": 100.0,
    "items.0.name": "tea", "items.1.name": "cake", "items.10.name": "jam",
}


@pytest.mark.parametrize(("template", "spoken"), [
    ("{{ account.balance }} {{ account.owner.name }}", "42.5 Ann"),
    ("{{ caller }} at {{ caller.extension }}", "5551234 at 42"),
    ("{{ items.0.name }}, {{ items[1].name }}, {{ items['10'].name }}", "tea, cake, jam"),
    ("{% for item in items %}{{ item.name }} {% endfor %}", "tea cake jam "),
    ("{{ caller == '5551234' }} {{ caller | length }} {{ items | length }}", "True 7 3"),
    ("{{ account.limit }} {{ account.balance * 2 }}", "100 85"),
    ("{% if account.owner %}yes{% endif %}", "yes"),
])
def test_dotted_variables_read_as_nested_values(template: str, spoken: str) -> None:
    assert render(template, VARIABLES) == (spoken, None)


def test_flat_variables_are_passed_through_unchanged() -> None:
    assert render("{{ a }}-{{ b }}", {"a": 1, "b": 0.5}) == ("1-0.5", None)


@pytest.mark.parametrize("template", [
    "{{ account.__class__ }}", "{{ account._members }}", "{{ caller.__class__.__mro__ }}",
    "{{ account.nothing }}",
])
def test_internals_and_missing_members_are_refused_and_spoken_empty(template: str) -> None:
    spoken, problem = render(template, VARIABLES)
    assert spoken == "" and problem is not None


def test_caller_input_in_a_value_is_never_template_source() -> None:
    spoken, problem = render("{{ caller.extension }}", {"caller": "x",
                                                        "caller.extension": "{{ 7*7 }}"})
    assert (spoken, problem) == ("{{ 7*7 }}", None)
