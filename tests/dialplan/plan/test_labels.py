"""Branch labels are typed, and print as `dialplan show`, traces and coverage spell them."""

from __future__ import annotations

from dialplan.plan import Key, Outcome, Word
from tests.dialplan.transcript import compile_ok


def test_labels_print_as_the_language_writes_them() -> None:
    assert [str(label) for label in (Key("12"), Word("sales"), Outcome.NOINPUT)] \
        == ["key 12", "word sales", "noinput"]


def test_an_outcome_reported_as_text_finds_its_branch() -> None:
    plan = compile_ok('route 100 -> main  flow main { s: answer\n'
                      '  dial "sip:a@127.0.0.1" { busy -> hangup }\n  hangup }')
    dial = next(node for node in plan.nodes if node.branches)
    assert dial.has_branch(Outcome("busy")) and dial.branch(Outcome.BUSY) is not None


def test_a_menu_is_keyed_by_keys_and_words() -> None:
    plan = compile_ok('route 100 -> main  flow main { s: answer\n'
                      '  menu "Say sales or press 1" { 1 -> hangup  "Sales" -> hangup }\n}')
    menu = next(node for node in plan.nodes if node.branches)
    assert {label for label, _ in menu.branches} == {Key("1"), Word("sales")}
