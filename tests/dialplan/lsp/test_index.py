"""Dotted variable names in the occurrence table: one variable where assigned as such,
a member of a variable otherwise; in `say` templates as in expressions."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from dialplan.lsp import navigation
from dialplan.lsp.analysis import analyse

PLAN = """route 1 -> main

flow main {
  start:
    answer
    set account.balance = 3
    say "You have {{ account.balance }}."
    if account.balance > 2 {
      fetch order "http://127.0.0.1:8080/orders" {
        ok -> say "Order {{ order.id }}, first item {{ order.items.0 }}."
      }
    }
    if order.id == "7" {
      hangup
    }
    hangup
}
"""


def _renamed(tmp_path: Path, line: int, character: int) -> list[tuple[int, str]]:
    """(line, the text replaced) of each edit of a rename at the position."""
    plan = tmp_path / "plan.dialplan"
    plan.write_text(PLAN)
    path = str(plan.resolve())
    analysis = analyse(path, {path: PLAN})
    edit = navigation.rename(analysis, path, types.Position(line=line, character=character),
                             "renamed")
    assert edit is not None and edit.changes is not None
    lines = PLAN.split("\n")
    return sorted((e.range.start.line,
                   lines[e.range.start.line][e.range.start.character:e.range.end.character])
                  for edits in edit.changes.values() for e in edits)


def test_a_dotted_variable_is_renamed_whole_in_templates_and_expressions(
        tmp_path: Path) -> None:
    assert _renamed(tmp_path, 5, 10) == [
        (5, "account.balance"), (6, "account.balance"), (7, "account.balance")]


def test_renaming_a_fetch_result_renames_the_name_its_members_start_with(
        tmp_path: Path) -> None:
    assert _renamed(tmp_path, 8, 13) == [(8, "order"), (9, "order"), (9, "order"),
                                         (12, "order")]
