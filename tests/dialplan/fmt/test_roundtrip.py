"""The acceptance properties of `dialplan fmt`, over every example and generated plans:
formatting twice changes nothing, the plan compiles to the same `Plan`, and every
comment of the input is in the output, in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialplan.build import build_file, build_text
from dialplan.fmt import format_source
from dialplan.fmt.source import parse_with_comments
from tests.dialplan.fmt.plans import plan_source
from tests.dialplan.test_fuzz import TOKENS, mutated_example

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples" / "dialplans").rglob(
    "*.dialplan"))
PLANS = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fmt(text: str) -> str:
    result = format_source(text, "plan.dialplan")
    assert result.text is not None, result.diagnostics
    return result.text


def comments(text: str) -> list[str]:
    found = parse_with_comments(text, "plan.dialplan").comments
    return ["\n".join(line.rstrip() for line in c.text.split("\n")) for c in found]


def assert_fmt_properties(text: str, compiles: bool = True) -> None:
    once = fmt(text)
    assert fmt(once) == once
    assert comments(once) == comments(text)
    if compiles:
        before, after = build_text(text), build_text(once)
        assert before.plan is not None, before.diagnostics
        assert after.plan == before.plan


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_formats_idempotently_to_the_same_plan_with_its_comments(path: Path) -> None:
    text = path.read_text()  # a file with includes compiles in the test below
    assert_fmt_properties(text, compiles="include " not in text)


def test_a_plan_over_several_files_compiles_the_same_with_every_file_formatted(
        tmp_path: Path) -> None:
    source = EXAMPLES[0].parent / "multi"
    copy = tmp_path / "multi"
    shutil.copytree(source, copy)
    for path in copy.rglob("*.dialplan"):
        path.write_text(fmt(path.read_text()))
    before = build_file(str(source / "main.dialplan"))
    after = build_file(str(copy / "main.dialplan"))
    assert before.plan is not None and after.plan == before.plan


@PLANS
@given(plan_source())
def test_generated_plan_formats_idempotently_to_the_same_plan_with_its_comments(
        text: str) -> None:
    assert_fmt_properties(text)


@PLANS
@given(st.one_of(mutated_example(), st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)))
def test_any_text_that_parses_formats_idempotently_with_its_comments(text: str) -> None:
    # Mutated examples and token soup: most do not compile, some do not even parse; a
    # formatter bug would raise FormatError here.
    result = format_source(text, "plan.dialplan")
    if result.text is not None:
        assert fmt(result.text) == result.text
        assert comments(result.text) == comments(text)
