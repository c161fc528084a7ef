"""Where recovery resumes after a token it had to drop: at the end of the statement.

Dropping only the bad token leaves the rest of its line to be read as something else
(`announce_position every 30s` drops `30`, then `s` starts a new setting that swallows
the next line's name, and each following line is flagged in turn). Skipping to the
end of the line, or to the next brace or `;` on it, resumes where a statement or a
block boundary starts, so one mistake gives one error. Braces are kept so that the
block structure, and so the errors after it, stay right.
"""

from __future__ import annotations

from lark import Token, UnexpectedInput, UnexpectedToken

from .grammar import tree_parser
from .recovery import expected, feeds

_STOPS = "{};\n"
# Enough text to lex any one token but a long string, whose kind shows in its start.
PEEK = 256


def statement_end(text: str, start: int) -> int:
    """The offset of the next `{`, `}`, `;` or newline at or after `start`, skipping
    over strings and a line comment (whose braces are not structure)."""
    position = start
    while position < len(text):
        char = text[position]
        if char in _STOPS:
            return position
        if char == '"':
            position = _string_end(text, position)
            continue
        if text.startswith("//", position) or text.startswith("/*", position):
            end = text.find("\n", position)
            return len(text) if end < 0 else end
        position += 1
    return position


def _string_end(text: str, quote: int) -> int:
    position = quote + 1
    while position < len(text) and text[position] not in '"\n':
        position += 2 if text[position] == "\\" else 1
    return min(position + 1, len(text)) if position < len(text) and text[position] == '"' \
        else position


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
        first = next(iter(tree_parser().lex(text[position:position + PEEK])), None)
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
