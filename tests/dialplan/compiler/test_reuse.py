"""Compiling with the flows of the previous compile kept (the language server's way)
gives exactly the plan and diagnostics of a compile from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.compiler.compile import compile_modules
from dialplan.compiler.reuse import LoweredFlows
from dialplan.lsp.chunks import ParseCache

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").rglob("*.dialplan"))
# Edits within one line, so the flows after the edited one keep their positions: they
# are reused, their nodes now starting elsewhere in the table.
EDITS = [
    ("    hangup\n", "    say \"One more thing.\"; hangup\n"),  # nodes added
    ("    hangup\n", "    hangup; goto nowhere\n"),  # an error, no node
    ("    hangup\n", "    set spare_variable = 1; hangup\n"),  # a new variable
]


@pytest.mark.parametrize("edit", EDITS, ids=["nodes", "error", "variable"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name + "/" + p.name)
def test_a_compile_reusing_unchanged_flows_equals_one_from_scratch(
        example: Path, edit: tuple[str, str]) -> None:
    text, cache, reuse = example.read_text(), ParseCache(), LoweredFlows()
    edited = text.replace(*edit, 1)
    for version in (text, edited, text):
        module, _ = cache.parse(version, "plan.dialplan")
        assert module is not None
        assert compile_modules([module], "plan.dialplan", reuse=reuse) == compile_modules(
            [module], "plan.dialplan")
