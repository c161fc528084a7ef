"""`dialplan prompts words`: the recordings said values need, and those still missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.prompts.words import needed
from dialplan.templates import render_said
from tests.dialplan.prompts.test_library import touch


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_list_covers_what_calls_say(language: str) -> None:
    names = set(needed(language, ["EUR"]))
    _, parts, _ = render_said(
        "{{ 42.5 | money('EUR') }} {{ 1234567 | number }} {{ 21 | ordinal }} "
        "{{ '2026-12-24' | date('full') }} {{ '14:30' | time }} {{ '4711' | digits }}",
        {}, language)
    assert {name for part in parts for name in part.prompts} <= names


def test_missing_recordings_are_listed_until_all_are_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompts", "words", "fr", "--currency", "EUR"]) == 0
    names = capsys.readouterr().out.split()
    assert "words/quarante" in names and "digits/7" in names
    for name in names[1:]:
        touch(tmp_path / "fr" / f"{name}.wav")
    assert main(["prompts", "words", "fr", "--currency", "EUR", "--missing", str(tmp_path)]) == 1
    assert capsys.readouterr().out.split() == ["digits/0"]
    touch(tmp_path / "fr" / "digits" / "0.wav")
    assert main(["prompts", "words", "fr", "--currency", "EUR", "--missing", str(tmp_path)]) == 0


def test_an_unknown_language_or_currency_is_a_usage_error() -> None:
    assert main(["prompts", "words", "klingon"]) == 2
    assert main(["prompts", "words", "fr", "--currency", "EUROS"]) == 2
