"""`expect hear ... in "fr"`: scenarios assert the language a prompt is spoken in."""

from __future__ import annotations

from pathlib import Path

from dialplan.loader import Sources
from dialplan.scenarios import read_scenarios
from dialplan.scenarios.run import run_file
from tests.support.harness import ROOT

EXAMPLE = ROOT / "examples" / "dialplans" / "bilingual.dialplan"


def run(tmp_path: Path, steps: str) -> list[str | None]:
    (tmp_path / "bilingual.dialplan").write_text(EXAMPLE.read_text())
    scenarios = tmp_path / "bilingual.test"
    scenarios.write_text(f'scenario "s" {{\n  call 600\n{steps}\n}}\n')
    result = run_file(read_scenarios(str(scenarios)), Sources())
    return [r.failure.actual if r.failure else None for r in result.results]


def test_the_bilingual_example_passes_its_scenarios() -> None:
    result = run_file(read_scenarios(str(EXAMPLE.with_suffix(".test"))), Sources())
    assert [r.passed for r in result.results] == [True] * 4


def test_a_prompt_in_another_language_fails_the_step(tmp_path: Path) -> None:
    failures = run(tmp_path, '  press 2\n  expect hear containing "Commande" in "en"')
    assert failures == ['says "For English, press 1. Pour le français, appuyez sur 2." in en; '
                        'says "Commande quatre sept un un : quarante-deux euros et cinquante '
                        'centimes, livrée le vingt-quatre décembre deux mille vingt-six." in fr']


def test_the_language_is_optional_in_the_expectation(tmp_path: Path) -> None:
    assert run(tmp_path, '  press 1\n  expect hear containing "forty-two euro"') == [None]
