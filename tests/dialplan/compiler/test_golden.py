"""Golden files pin every shipped example's compiled machine (`dialplan show --format json`).

After an intended change to the compiler, regenerate with:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/dialplan/compiler/test_golden.py
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dialplan.build import Build, build_paths
from dialplan.cli.show import render_plan
from dialplan.compiler.serialize import to_data

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "dialplans"
GOLDEN = ROOT / "tests" / "dialplan" / "golden"


def _build_examples() -> dict[str, Build]:
    """Built from inside the examples folder, so paths in spans do not depend on the checkout."""
    here = os.getcwd()
    os.chdir(EXAMPLES)
    try:
        builds = build_paths(["."])
    finally:
        os.chdir(here)
    return {Path(b.root).with_suffix("").as_posix().replace("/", "__"): b for b in builds}


BUILDS = _build_examples()


def check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual)
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text()


def test_every_example_compiles_clean() -> None:
    assert len(BUILDS) >= 5
    assert {name: b.diagnostics for name, b in BUILDS.items() if b.diagnostics} == {}


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_compiled_machine_matches_golden_json(name: str) -> None:
    plan = BUILDS[name].plan
    assert plan is not None
    text = json.dumps(to_data(plan), indent=1, ensure_ascii=False, sort_keys=True)
    check(f"{name}.json", text + "\n")


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_readable_listing_matches_golden_text(name: str) -> None:
    plan = BUILDS[name].plan
    assert plan is not None
    check(f"{name}.txt", render_plan(plan) + "\n")
