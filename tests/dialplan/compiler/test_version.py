"""Plan versions: a content hash of meaning, so layout does not change it and meaning does."""

from __future__ import annotations

from tests.dialplan.transcript import compile_ok

PLAN = 'route 100 -> main\nflow main {\n  start: answer\n    say "Hi"\n    hangup\n}\n'


def test_same_source_gives_the_same_version_and_equal_plans() -> None:
    assert compile_ok(PLAN) == compile_ok(PLAN)
    assert compile_ok(PLAN).version == compile_ok(PLAN).version


def test_layout_and_comments_do_not_change_the_version() -> None:
    relaid = '// the demo\nroute 100 -> main  flow main { start: answer; say "Hi"; hangup }'
    assert compile_ok(relaid).version == compile_ok(PLAN).version
    assert compile_ok(relaid) == compile_ok(PLAN)


def test_a_change_of_meaning_changes_the_version() -> None:
    assert compile_ok(PLAN.replace('"Hi"', '"Hello"')).version != compile_ok(PLAN).version


def test_plans_are_immutable() -> None:
    plan = compile_ok(PLAN)
    try:
        plan.version = "x"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("a plan must be frozen")
