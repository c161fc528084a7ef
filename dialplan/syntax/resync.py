"""Where recovery resumes after a token it had to drop: at the end of the statement.

Dropping only the bad token leaves the rest of its line to be read as something else
(`announce_position every 30s` drops `30`, then `s` starts a new setting that swallows
the next line's name, and each following line is flagged in turn). Skipping to the
end of the line, or to the next brace or `;` on it, resumes where a statement or a
block boundary starts, so one mistake gives one error. Braces are kept so that the
block structure, and so the errors after it, stay right.
"""

from __future__ import annotations

import re

from lark import Token, UnexpectedInput, UnexpectedToken

from .grammar import token_reader
from .recovery import expected, feeds

# What ends a statement's rest, and what to step over on the way: strings (an unclosed
# one runs to the end of its line, as the grammar's STRING does) and comments.
_STOP = re.compile(r'[{};\n]|"(?:[^"\\\n]|\\.)*"?|//|/\*')
# Enough text to lex any one token but a long string, whose kind shows in its start.
PEEK = 256


def statement_end(text: str, start: int) -> int:
    """The offset of the next `{`, `}`, `;` or newline at or after `start`, skipping
    over strings and a comment (whose braces are not structure)."""
    position = start
    while (found := _STOP.search(text, position)) is not None:
        piece, position = found.group(), found.end()
        if piece == "//":
            line_end = text.find("\n", found.start())
            return len(text) if line_end < 0 else line_end
        if piece == "/*":  # a block comment may hold newlines and braces: step over it
            close = text.find("*/", position)
            position = len(text) if close < 0 else close + 2
        elif not piece.startswith('"'):
            return found.start()
    return len(text)


def skip_rest_of_statement(error: UnexpectedToken, text: str) -> int:
    """Move the lexer of `error`'s parser past the rest of the bad token's statement;
    returns the offset where reading resumes (-1 when nothing could be skipped)."""
    parser = error.interactive_parser
    token: Token = error.token
    if parser is None or token.type == "$END" or token.end_pos is None:
        return -1
    lexer = parser.lexer_thread.state
    if lexer is None or lexer.line_ctr.char_pos != token.end_pos:
        return -1
    end = statement_end(text, token.end_pos)
    lexer.line_ctr.feed(text[token.end_pos:end])
    return end


def next_kind(text: str, position: int) -> str:
    """The type of the first token at or after `position`, as the whole grammar lexes it."""
    try:
        first = next(iter(token_reader().lex(text[position:position + PEEK])), None)
    except UnexpectedInput:
        return ""
    return "$END" if first is None else first.type


def stand_in(error: UnexpectedToken, text: str, resume: int) -> None:
    """After a dropped token, if what follows does not fit where the parser stopped
    (`goto "x"` then a new state `u:`), feed a stand-in of the kind it expected there,
    so the next line is read as the author meant instead of flagged too."""
    parser, state = error.interactive_parser, error.state
    if parser is None or state is None or resume < 0:
        return
    following = next_kind(text, resume)
    conf, stack = state.parse_conf, state.state_stack
    if not following or feeds(conf, stack, (following,)):
        return
    for candidate in sorted(expected(error)):
        if candidate != "$END" and feeds(conf, stack, (candidate, following)):
            parser.feed_token(Token(candidate, ""))
            return
