"""Syntax-error recovery: bounded and linear, so junk cannot tie up the checker (or an
editor asking it on every keystroke); and what it asks of the parse table is exactly
what lark's own (copying) `accepts()` would answer."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import UnexpectedInput, UnexpectedToken

from dialplan.cli.main import main
from dialplan.syntax import recovery
from dialplan.syntax.grammar import tree_parser
from dialplan.syntax.parser import parse

TOKENS = ["route", "flow", "{", "}", "->", ":", ";", '"x"', "menu", "1", "5s", "say", "goto",
          "if", "else", "elif", "set", "=", "==", "(", ")", "[", "]", ",", "..", "noinput",
          "retry", "a:", "hangup", "_1XX", "during", "queue", "x", "not", "in", "schedule",
          "mon", "09:00", "-", "\n", "$", "/*", "*/"]
MEGABYTE = 1_000_000
# Generous for a shared CI machine: the benchmark (bench/syntax_recovery.py) measures
# about 0.1-0.3 s for each of these on one core.
BOUND_SECONDS = 6.0


def junk(size: int, tokens: list[str], seed: int = 1) -> str:
    pick = random.Random(seed).choice
    return " ".join(pick(tokens) for _ in range(size // 3))[:size]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30).map(" ".join))
def test_table_answers_what_lark_accepts_would(text: str) -> None:
    try:
        tree_parser().parse(text)
    except UnexpectedToken as error:
        assert recovery.accepts(error) == error.accepts
    except UnexpectedInput:
        pass


@pytest.mark.parametrize("shape", [
    "token soup on one line", "token soup with newlines", "comment openers", "quotes"])
def test_a_megabyte_of_junk_lints_within_seconds(
        shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = {
        "token soup on one line": junk(MEGABYTE, [t for t in TOKENS if t != "\n"]),
        "token soup with newlines": junk(MEGABYTE, TOKENS),
        "comment openers": "/* " * (MEGABYTE // 3),
        "quotes": '"' * MEGABYTE,
    }[shape]
    path = tmp_path / "junk.dialplan"
    path.write_text(text)
    tree_parser()  # building the grammar is not the checker's work on the input
    start = time.perf_counter()
    status = main(["lint", "--no-source", str(path)])
    elapsed = time.perf_counter() - start
    assert status == 1
    assert " E1" in capsys.readouterr().out
    assert elapsed < BOUND_SECONDS, f"{shape}: {elapsed:.2f}s"


def test_recovery_on_a_long_junk_line_costs_about_what_a_short_one_does() -> None:
    tree_parser()
    line = [t for t in TOKENS if t != "\n"]
    timings = []
    for size in (5_000, 200_000):
        start = time.perf_counter()
        _, diagnostics = parse(junk(size, line), "junk.dialplan")
        timings.append(time.perf_counter() - start)
        assert diagnostics
    # Before: the 5 KB line alone took seconds, and 40 times more junk took far longer.
    assert timings[1] < max(1.0, 10 * timings[0]), timings


def test_an_unclosed_block_comment_is_one_error_at_its_start() -> None:
    _, diagnostics = parse('flow main { s: hangup }\n/* to the end\nsay "x"\n/* again', "c")
    assert [(d.code, d.span.line, d.span.column, d.hint) for d in diagnostics] == [
        ("E108", 2, 1, "close the comment with `*/`")]


QUEUE_WITH_ONE_MISTAKE = """\
queue reception {
  agents "sip:a@pbx"
  announce_position every 30s
  max_wait 4m
  max_callers 10
}
"""


def test_one_mistake_in_a_setting_is_one_error_and_the_next_lines_stay_clean() -> None:
    _, diagnostics = parse(QUEUE_WITH_ONE_MISTAKE, "q.dialplan")
    assert [(d.code, d.span.line, d.span.column, d.span.end_column) for d in diagnostics] == [
        ("E105", 3, 27, 30)]
    assert diagnostics[0].message == "an option or setting takes one value after its name"


def test_a_bad_token_is_named_by_its_kind_in_plain_english() -> None:
    _, diagnostics = parse("flow f { s: menu 30s { } }", "m.dialplan")  # a prompt, not a value
    assert [d.message for d in diagnostics] == [
        "expected `{`, a name or a string, but found a duration `30s`"]


def test_errors_on_separate_lines_are_still_each_reported() -> None:
    text = "flow f {\n  s: say 42\n  t: goto \"x\"\n  u: hangup\n}\n"
    _, diagnostics = parse(text, "m.dialplan")
    assert [(d.code, d.span.line) for d in diagnostics] == [("E102", 2), ("E105", 3)]


def test_an_option_given_two_values_is_one_error_and_its_branches_still_parse() -> None:
    text = 'flow f {\n  s:\n    menu "m" timeout every 5s {\n      1 -> t\n    }\n  t: hangup\n}\n'
    _, diagnostics = parse(text, "m.dialplan")
    assert [(d.code, d.span.line, d.message) for d in diagnostics] == [
        ("E105", 3, "an option or setting takes one value after its name")]


def test_a_misspelt_branch_event_suggests_the_closest_event() -> None:
    text = 'flow f { s: menu "m" {\n  1 -> s\n  noinptu -> retry\n} }\n'
    _, diagnostics = parse(text, "m.dialplan")
    assert [(d.code, d.span.line, d.hint) for d in diagnostics] == [
        ("E102", 3, "did you mean `noinput`?")]


@pytest.mark.parametrize("rest", [' "x {" ', " // a } here", " /* a {\n } */"])
def test_the_skipped_rest_steps_over_strings_and_comments(rest: str) -> None:
    text = f"queue q {{\n  announce every 30s{rest}\n  max_wait 4m\n}}\n"
    _, diagnostics = parse(text, "q.dialplan")
    assert [(d.code, d.span.line) for d in diagnostics] == [("E105", 2)]
