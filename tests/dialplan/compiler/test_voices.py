"""Voice settings by plan (`defaults`), flow and statement: the nearest one wins."""

from __future__ import annotations

from dialplan import plan as p
from dialplan.build import build_text
from dialplan.fmt.api import format_source
from tests.dialplan.transcript import compile_ok

PLAN = """defaults voice "ko" rate 140
route 1 -> main
flow main voice "en" {
  s:
    say "plan rate, flow voice"
    say "own rate" rate 200
    menu "prompt" language "en-gb" { 1 -> s }
}
flow other { s: say "plan voice and rate" }
"""


def voices(plan: p.Plan) -> dict[str, p.Voice]:
    found = {}
    for node in plan.nodes:
        if isinstance(node.action, p.Say):
            found[node.action.text] = node.action.voice
        elif isinstance(node.action, p.Menu) and node.action.input.prompt:
            found["prompt"] = node.action.input.prompt.voice
    return found


def test_the_nearest_setting_wins() -> None:
    assert voices(compile_ok(PLAN)) == {
        "plan rate, flow voice": p.Voice("en", 140, None),
        "own rate": p.Voice("en", 200, None),
        "prompt": p.Voice("en", 140, "en-gb", language_fixed=True),
        "plan voice and rate": p.Voice("ko", 140, None),
    }


def test_flow_and_plan_settings_are_checked_like_options() -> None:
    build = build_text('defaults voice 3\nflow f colour "red" { s: hangup }', "t.dialplan")
    assert [(d.code, d.message) for d in build.diagnostics] == [
        ("E402", "`voice` expects a string or a variable name, got number `3`"),
        ("E401", "unknown option `colour` for `flow` (its options: `language`, `rate`, `voice`)"),
    ]


def test_the_formatter_keeps_plan_and_flow_settings() -> None:
    formatted = format_source(PLAN, "t.dialplan").text
    assert formatted is not None
    assert 'defaults voice "ko" rate 140' in formatted
    assert 'flow main voice "en" {' in formatted
    assert compile_ok(formatted) == compile_ok(PLAN)
