"""Parsing item by item gives exactly the whole-file parse, errors included."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.lsp.chunks import ParseCache
from dialplan.syntax.parser import parse

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").rglob("*.dialplan"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_example_parses_item_by_item_as_it_parses_whole(example: Path) -> None:
    text = example.read_text()
    assert ParseCache().parse(text, "plan.dialplan") == parse(text, "plan.dialplan")


def test_an_edit_inside_one_item_gives_the_whole_parse_of_the_new_text() -> None:
    cache = ParseCache()
    text = EXAMPLES[0].read_text()
    cache.parse(text, "plan.dialplan")
    edited = text.replace("hangup", "hangup\n    goto nowhere", 1)
    assert cache.parse(edited, "plan.dialplan") == parse(edited, "plan.dialplan")


@pytest.mark.parametrize("broken", [
    "flow a {\n  start:\nroute 1 -> a\n  hangup\n}\n",  # a cut inside a flow
    "/* comment\nflow a {\n*/\nflow b {\n  start:\n    hangup\n}\n",  # inside a comment
    "flow a {\n  start:\n    menu \"x\" timeout {\n}\nflow b {\n  s:\n    hangup\n}\n",
])
def test_syntax_errors_are_those_of_the_whole_file_parse(broken: str) -> None:
    assert ParseCache().parse(broken, "plan.dialplan") == parse(broken, "plan.dialplan")


def test_after_a_line_added_on_top_each_item_is_kept_as_it_parses_alone() -> None:
    cache = ParseCache()
    text = EXAMPLES[0].read_text()
    cache.parse(text, "plan.dialplan")
    moved = "// a new first line\n" + text  # every item moves: parsed whole, then split
    assert cache.parse(moved, "plan.dialplan") == parse(moved, "plan.dialplan")
    edited = moved.replace("hangup", "hangup\n    goto nowhere", 1)  # from the split items
    assert cache.parse(edited, "plan.dialplan") == parse(edited, "plan.dialplan")
