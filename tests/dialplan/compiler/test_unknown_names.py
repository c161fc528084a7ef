"""Unknown settings, options and causes name the valid ones and suggest the closest."""

from __future__ import annotations

import pytest

from dialplan.build import build_text

HEAD = "route 100 -> main\n"


@pytest.mark.parametrize(("source", "code", "listed", "hint"), [
    (HEAD + 'queue q { agents "sip:a@b" max_wiat 3m }\nflow main { s: queue q }', "E415",
     "`max_wait`", "did you mean `max_wait`?"),
    (HEAD + 'flow main { s: menu "m" timout 5s { 1 -> s } }', "E401", "`timeout`",
     "did you mean `timeout`?"),
    (HEAD + "flow main { s: hangup cause bussy }", "E413", "`busy`", "did you mean `busy`?"),
])
def test_a_misspelt_name_lists_the_valid_ones_and_suggests_the_closest(
        source: str, code: str, listed: str, hint: str) -> None:
    [diagnostic] = build_text(source, "test.dialplan").diagnostics
    assert diagnostic.code == code
    assert listed in diagnostic.message
    assert diagnostic.hint == hint


def test_a_setting_that_does_not_exist_still_lists_the_valid_ones() -> None:
    source = (HEAD + 'queue reception { agents "sip:a@b" announce_position 30s }\n'
              "flow main { s: queue reception }")
    [diagnostic] = build_text(source, "test.dialplan").diagnostics
    assert diagnostic.message.endswith("(its settings: `agents`, `max_callers`, `max_wait`, "
                                       "`music`, `ring_timeout`, `strategy`)")


def test_an_unknown_queue_strategy_is_reported_at_its_setting() -> None:
    source = (HEAD + 'queue q {\n  agents "sip:a@b"\n  strategy ringal\n}\n'
              "flow main { s: queue q }")
    [diagnostic] = build_text(source, "test.dialplan").diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E402", 4, 3)
    assert diagnostic.hint == "did you mean `ringall`?"
