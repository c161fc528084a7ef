"""The syntax mistakes table: every example in it is recognised as its own mistake.

The table (dialplan/syntax/mistakes.py) words the messages; here it is the test too.
"""

from __future__ import annotations

import pytest

from dialplan.syntax.mistakes import MISTAKES
from dialplan.syntax.parser import parse

EXAMPLES = [(m.message, m.hint, example) for m in MISTAKES for example in m.examples]


@pytest.mark.parametrize(("message", "hint", "example"), EXAMPLES,
                         ids=[example for _, _, example in EXAMPLES])
def test_table_example_gets_its_own_message_and_hint(message: str, hint: str,
                                                     example: str) -> None:
    module, diagnostics = parse(example, "x.dialplan")
    assert module is None
    assert (diagnostics[0].code, diagnostics[0].message, diagnostics[0].hint) == (
        "E105", message, hint)


def test_mistake_in_a_longer_file_is_matched_too() -> None:
    source = ('route 100 -> main\nflow main {\n  start:\n    menu "Pick" {\n'
              '      1 sales\n    }\n}\n')
    _, diagnostics = parse(source, "x.dialplan")
    first = diagnostics[0]
    assert (first.span.line, first.span.column, first.code) == (5, 9, "E105")
    assert first.message == "missing `->` between the keys and the target of a branch"
