"""Recorded prompts by name and language, and which texts are rendered ahead of time."""

from __future__ import annotations

from pathlib import Path

from dialplan.prompts.library import find_prompt
from dialplan.prompts.warm import fixed_prompts
from tests.dialplan.transcript import compile_ok


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF")
    return path


def test_the_callers_language_comes_first_then_the_fallback(tmp_path: Path) -> None:
    english = touch(tmp_path / "en" / "welcome.wav")
    korean = touch(tmp_path / "ko" / "welcome.wav")
    assert find_prompt("welcome", [tmp_path], language="ko") == korean
    assert find_prompt("welcome", [tmp_path], language="de") == english


def test_a_prompt_outside_language_folders_is_found_too(tmp_path: Path) -> None:
    plain = touch(tmp_path / "beep.wav")
    assert find_prompt("beep", [tmp_path]) == plain


def test_names_that_leave_the_prompt_folders_are_refused(tmp_path: Path) -> None:
    touch(tmp_path / "secret.wav")
    folder = tmp_path / "prompts"
    folder.mkdir()
    assert find_prompt("../secret", [folder]) is None
    assert find_prompt(str(tmp_path / "secret"), [folder]) is None


def test_only_texts_without_template_markup_are_rendered_ahead() -> None:
    plan = compile_ok('route 1 -> m\nset c = "Acme"\nflow m { s: say "Hi"\n'
                      '  say "Hi {{ c }}"; say "Hi" voice "ko"\n'
                      '  menu "Press 1" { 1 -> s }\n}')
    assert sorted((p.text, p.voice or "") for p in fixed_prompts(plan)) == [
        ("Hi", ""), ("Hi", "ko"), ("Press 1", "")]
