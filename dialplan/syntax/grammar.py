"""The grammar and its LALR parser, built once per process.

Its own module because two readers need the bare parser: parser.py (text to AST, with
recovery) and mistakes.py (which parses its example mistakes to learn their signatures).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from lark import Lark, Token

GRAMMAR = Path(__file__).with_name("grammar.lark")


class KeepUnclosedComments:
    """A pass-through post-lexer whose only job is `always_accept`: lark drops terminals
    no rule uses, and UNCLOSED_COMMENT must stay, so the lexer produces it in one pass
    (and the parser refuses it, reported as E108)."""

    always_accept = ("UNCLOSED_COMMENT",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return stream


@cache
def tree_parser() -> Lark:
    """The LALR parser, built once per process (the grammar is compiled on first use)."""
    return Lark.open(str(GRAMMAR), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False, postlex=KeepUnclosedComments())


@cache
def token_reader() -> Lark:
    """A lexer of every terminal, with no parser: what a piece of text is as a token
    wherever it stands (the parser's contextual lexer only knows what fits its state).
    Error reporting asks it, once per error, so it is built once and kept."""
    return Lark.open(str(GRAMMAR), parser=None, lexer="basic")
