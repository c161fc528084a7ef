"""Lint counts inherited handlers: a menu, collect or listen that inherits noinput,
nomatch and exhausted from `handlers` is not missing them (L201, L202)."""

from __future__ import annotations

from dialplan.build import build_text
from dialplan.lint.config import LintConfig
from dialplan.lint.run import lint

TEXT = """route 100 -> main
handlers {
  exhausted -> goto main.bye
}
flow main {
  handlers {
    noinput, nomatch -> say "Sorry?"; retry
  }
  start:
    answer
    menu "Press 1" { 1 -> ask }
  ask:
    collect pin "Your PIN" digits 4
    listen word "Yes or no?" phrases "yes", "no"
    if pin == "1234" and word == "yes" { goto bye }
    goto bye
  bye:
    hangup
}
"""


def codes(text: str) -> list[str]:
    build = build_text(text, "test.dialplan")
    assert build.plan is not None, build.diagnostics
    return [d.code for d in lint([build], LintConfig(), {"test.dialplan": text})]


def test_inherited_handlers_leave_no_missing_branch_findings() -> None:
    assert codes(TEXT) == []


def test_without_the_handlers_the_same_plan_misses_them() -> None:
    bare = TEXT.replace('noinput, nomatch -> say "Sorry?"; retry', "").replace(
        "exhausted -> goto main.bye", "")
    assert bare.count("handlers {") == 2
    found = codes(bare)
    assert found.count("L201") == 3 and found.count("L202") == 6
