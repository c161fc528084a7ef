"""Compiled example plans for the graph tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.build import build_file, build_text
from dialplan.plan import Plan

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples" / "dialplans").rglob("*.dialplan"))


def compiled(path: Path) -> Plan:
    build = build_file(str(path))
    assert build.plan is not None, build.diagnostics
    return build.plan


def compiled_text(text: str) -> Plan:
    build = build_text(text, "plan.dialplan")
    assert build.plan is not None, build.diagnostics
    return build.plan


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.stem)
def example(request: pytest.FixtureRequest) -> Plan:
    return compiled(request.param)
