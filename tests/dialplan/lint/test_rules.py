"""One fixture per lint rule: every line marked `// expect: CODE` gets exactly that
finding, and no other line gets one of the rule's code (pyflakes' harness idea)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from dialplan.build import build_file
from dialplan.lint.config import LintConfig
from dialplan.lint.registry import RULES
from dialplan.lint.run import lint
from dialplan.trunks import Trunk

FIXTURES = Path(__file__).with_name("fixtures")
CONFIG = LintConfig(prompt_dirs=[FIXTURES / "prompts"],
                    allowed_targets=["sip:*@127.0.0.1", "sip:*@127.0.0.1:*"],
                    allowed_urls=["https://api.example.com/v1/", "http://127.0.0.1:*/"],
                    extensions=frozenset({"201", "202", "203"}),

                    trunks=(Trunk("carrier", "127.0.0.1:5090", register=False),))
_EXPECT = re.compile(r"expect:((?:\s+L[0-9]+)+)")


def expected(text: str) -> Counter[tuple[int, str]]:
    found: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT.search(line)
        for code in match.group(1).split() if match else ():
            found[(number, code)] += 1
    return found


def findings(path: Path, codes: set[str]) -> Counter[tuple[int, str]]:
    build = build_file(str(path))
    assert build.ok, [f"{d.span}: {d.code} {d.message}" for d in build.diagnostics]
    texts = {str(path): path.read_text()}
    return Counter((d.span.line, d.code) for d in lint([build], CONFIG, texts)
                   if d.code in codes)


def test_every_rule_has_a_fixture() -> None:
    assert {r.code for r in RULES} <= {p.stem for p in FIXTURES.glob("*.dialplan")}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_fires_exactly_on_the_marked_lines(rule) -> None:  # type: ignore[no-untyped-def]
    path = FIXTURES / f"{rule.code}.dialplan"
    want = expected(path.read_text())
    assert want, "a fixture needs at least one positive case"
    assert findings(path, {rule.code}) == want


def test_noqa_comments_silence_the_named_codes_on_their_line() -> None:
    path = FIXTURES / "noqa.dialplan"
    assert findings(path, {"L101"}) == expected(path.read_text())
