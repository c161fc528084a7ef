"""Languages and said values checked at compile time: E540-E542 and variables named by
the `language` and `voice` options."""

from __future__ import annotations

from dialplan import plan as p
from dialplan.build import build_text


def problems(text: str) -> list[tuple[str, str, str]]:
    build = build_text("route 100 -> main\n" + text, "t.dialplan")
    return [(d.code, f"{d.span.line}:{d.span.column}", d.message) for d in build.diagnostics]


def test_a_string_set_into_language_must_be_a_language() -> None:
    assert problems('set language = "klingon"\nflow main { s: set language = "fr-CH" }') == [
        ("E540", "2:16", "unsupported language `klingon`: values cannot be said in it")]


def test_flow_and_plan_languages_are_checked_too() -> None:
    found = problems('defaults language "xx"\nflow main language "english" { s: hangup }')
    assert [(code, where) for code, where, _ in found] == [("E540", "2:19"), ("E540", "3:20")]


def test_a_variable_named_for_the_language_or_voice_must_be_assigned() -> None:
    found = problems('flow main { s: say "Hi" language lnag voice v }')
    assert [(code, message) for code, _, message in found] == [
        ("E305", "undefined variable `lnag`"), ("E305", "undefined variable `v`")]


def test_said_values_in_menu_prompts_are_checked_like_says() -> None:
    found = problems('flow main { s: menu "Pay {{ 3 | money(\'XYZ1\') }}" { 1 -> s } }')
    assert [code for code, _, _ in found] == ["E541"]


def test_a_misspelt_filter_is_a_template_error() -> None:
    found = problems('flow main { s: say "{{ 3 | numbr }}" }')
    assert [code for code, _, _ in found] == ["E412"]


def test_play_takes_a_language_that_fixes_its_folder() -> None:
    build = build_text('route 100 -> main\nflow main { s: play "hi" language "fr" }', "t")
    assert build.plan is not None
    plays = [n.action for n in build.plan.nodes if isinstance(n.action, p.Play)]
    assert plays == [p.Play(("hi",), p.Voice(language="fr", language_fixed=True))]


def hints(text: str) -> list[str | None]:
    build = build_text("route 100 -> main\n" + text, "t.dialplan")
    return [d.hint for d in build.diagnostics]


def test_a_language_written_by_name_or_a_currency_misspelt_gets_a_fix() -> None:
    assert hints('flow main { s: say "Salut" language "French" }') == ["did you mean `fr`?"]
    assert hints('flow main { s: say "{{ 3 | money(\'EUROS\') }}" }') == ["did you mean `EUR`?"]
