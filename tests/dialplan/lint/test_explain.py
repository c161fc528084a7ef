"""`dialplan lint --explain CODE`: a ruff-style page (what, why, wrong, right) for every
compiler code in dialplan/codes.py and every lint rule."""

from __future__ import annotations

import json

import pytest

from dialplan.cli.main import main
from dialplan.codes import CODES
from dialplan.lint.explain import explain, explanation
from dialplan.lint.formats import format_sarif
from dialplan.lint.registry import RULES

EVERY_CODE = sorted([*CODES, *(rule.code for rule in RULES)])
PARTS = ("What it does\n", "Why is this bad?\n", "Example\n", "Use instead\n")


@pytest.mark.parametrize("code", EVERY_CODE)
def test_every_code_is_explained_with_what_why_wrong_and_right(code: str) -> None:
    found = explanation(code)
    assert found is not None, code
    page, _ = found
    assert all(part.strip() for part in (page.name, page.what, page.why, page.wrong, page.right))
    assert page.wrong != page.right
    text = explain(code)
    assert text is not None and text.startswith(f"{code} ({page.name}) [")
    assert [text.index(part) for part in PARTS] == sorted(text.index(part) for part in PARTS)


def test_explain_is_not_the_raw_message_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--explain", "E415"]) == 0
    out = capsys.readouterr().out
    assert "{name}" not in out
    assert "max_wiat 4m" in out and "max_wait 4m" in out


def test_codes_are_explained_whatever_their_case() -> None:
    assert explain("e102") == explain("E102")


def test_an_unknown_code_has_no_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert explanation("X999") is None
    assert main(["lint", "--explain", "X999"]) == 2


def test_sarif_describes_every_code_with_its_explanation() -> None:
    rules = json.loads(format_sarif([]))["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*sorted(CODES), *(r.code for r in RULES)]
    e415 = next(rule for rule in rules if rule["id"] == "E415")
    assert e415["name"] == "unknown-setting" and "{" not in e415["shortDescription"]["text"]
