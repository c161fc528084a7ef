"""Typical syntax mistakes: one table that both words the messages and serves as tests.

Each entry holds short programs that fail the way the mistake it names does. An error
matches an entry when the parser stopped in the same LALR state expecting the same
tokens and got the same kind of token (the idea of lark's GRAMMAR_ERRORS table; unlike
`match_examples`, the depth of nesting does not matter, so an example at top level also
matches deep inside a flow).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lark import UnexpectedInput, UnexpectedToken

from .grammar import tree_parser
from .recovery import expected


@dataclass(frozen=True)
class Mistake:
    message: str
    hint: str
    examples: tuple[str, ...]


MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "missing `->` between the keys and the target of a branch",
        "write a branch as `1 -> sales` or `noinput -> say \"Sorry.\"; retry`",
        ('flow f { s: menu "m" { 1 sales } }', 'flow f { s: menu "m" { noinput retry } }'),
    ),
    Mistake(
        "a route needs `->` and the flow it leads to",
        "write `route 100 -> main`",
        ("route 100 main", "route _1XX"),
    ),
    Mistake(
        "a statement outside any flow",
        "statements belong in a state of a flow: `flow main { start: answer }`",
        ("answer", 'say "hi"', "hangup", "goto x"),
    ),
    Mistake(
        "a state name needs a `:` right after it",
        "write the label as `menu:`",
        ("flow f { start answer }", "flow f { s: answer next hangup }"),
    ),
    Mistake(
        "`set` needs `=` between the name and the value",
        "write `set tries = 1`",
        ("flow f { s: set x 1 }", "set x 1"),
    ),
    Mistake(
        "`else if` is spelled `elif` here",
        "write `if a { ... } elif b { ... } else { ... }`",
        ("flow f { s: if x { } else if y { } }",),
    ),
    Mistake(
        "`goto` takes a state or flow name, not a string",
        "write `goto menu` or `goto support.start`",
        ('flow f { s: goto "menu" }',),
    ),
    Mistake(
        "branches of a menu go inside `{ ... }` after its options",
        'write `menu "Press 1" timeout 5s { 1 -> sales }`',
        ('flow f { s: menu "m" 1 -> a }',),
    ),
    Mistake(
        "a flow needs a name and `{`",
        "write `flow main { start: answer }`",
        ("flow { }", 'flow "main" { }'),
    ),
    Mistake(
        "`==` compares; `=` only assigns in `set`",
        "write `if digits == \"1\" { ... }`",
        ('flow f { s: if x = "1" { } }',),
    ),
    Mistake(
        "an option or setting takes one value after its name",
        "give it one value, as in `timeout 5s`; separate several values with `,`",
        ("queue q { a b 30s }", "queue q { a b 30 }", 'queue q { a b "x" }',
         'flow f { s: menu "m" a b 5s { } }', 'flow f { s: menu "m" a b 5 { } }',
         'flow f { s: menu "m" a b "x" { } }', 'flow f { s: collect x "m" a b 5s }',
         'flow f { s: collect x "m" a b 5 }', 'flow f { s: listen x "m" a b 5s }'),
    ),
    Mistake(
        "a flow's `handlers` block comes first in the flow, before its first state",
        "move it up: `flow main { handlers { noinput -> retry } start: ... }`",
        ("flow f { s: handlers { } }", "flow f { s: answer handlers { } }",
         "flow f { s: goto s handlers { } }", 'flow f { s: menu "m" { } handlers { } }',
         "flow f { s: if x { } handlers { } }"),
    ),
)


Signature = tuple[int, frozenset[str], str]


def signature(error: UnexpectedToken) -> Signature:
    """Where the parser stopped, what it expected there, and what it got instead."""
    return (error.state.position, expected(error), error.token.type)


@cache
def _signatures() -> dict[Signature, Mistake]:
    """Each example's failure signature, computed once per process."""
    table: dict[Signature, Mistake] = {}
    for mistake in MISTAKES:
        for example in mistake.examples:
            try:
                tree_parser().parse(example)
            except UnexpectedToken as error:
                table.setdefault(signature(error), mistake)
            except UnexpectedInput:  # pragma: no cover - the table test rules this out
                pass
    return table


def match_mistake(error: UnexpectedToken) -> Mistake | None:
    return _signatures().get(signature(error))
