"""Text to AST, with syntax errors turned into positioned diagnostics.

On a syntax error the file is parsed again in recovery mode
to report every error in one run, at most one per line, never a traceback. After a
token it cannot use, recovery skips the rest of that statement (resync.py), so one
mistake is one error and the lines after it are read as written.
Recovery asks the parse table, not copies of the parser, what fits (recovery.py),
and stops after a fixed number of steps: its cost is linear in the input.
"""

from __future__ import annotations

import contextlib

from lark import Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from ..diagnostics import Diagnostic, Report
from ..source import Span
from . import ast
from .grammar import token_reader, tree_parser
from .mistakes import match_mistake
from .recovery import expected, feeds
from .resync import PEEK, skip_rest_of_statement, stand_in
from .terminals import describe_expected, describe_token, suggestion
from .transform import ToAst

MAX_SYNTAX_ERRORS = 20
# Recovery steps (tokens or characters skipped or repaired) before giving up: a file
# of junk has an error at nearly every token, and 20 reported ones are plenty.
MAX_RECOVERIES = 1000


def parse(text: str, path: str) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one file's text. Returns the module (None on syntax errors) and diagnostics."""
    try:
        tree = tree_parser().parse(text)
    except UnexpectedInput:
        return None, syntax_errors(text, path)
    transformer = ToAst(path)
    report = Report()
    try:
        module: ast.Module = transformer.transform(tree)
    except (RecursionError, VisitError) as error:
        if isinstance(error, VisitError) and not isinstance(error.orig_exc, RecursionError):
            raise
        report.emit("E107", Span(path, 1, 1, 1, 1))
        return None, report.diagnostics
    for code, span, words in transformer.problems:
        report.emit(code, span, **words)
    return module, report.diagnostics


def syntax_errors(text: str, path: str) -> list[Diagnostic]:
    """Every syntax error of `text`, in order: at most one per line, and a run of bad
    tokens with nothing good between them counts as one error."""
    report = Report()
    seen_lines: set[int] = set()
    last_end = -1
    steps = 0

    def on_error(error: UnexpectedInput) -> bool:
        nonlocal last_end, steps
        steps += 1
        start, end = _extent(error)
        line = error.line if error.line > 0 else text.count("\n") + 1
        cascade = last_end >= 0 and not text[last_end:start].strip()
        if line not in seen_lines and not cascade:
            seen_lines.add(line)
            _describe(error, text, path, report)
        last_end = end
        if isinstance(error, UnexpectedToken) and not _insert_missing(error):
            resume = skip_rest_of_statement(error, text)
            stand_in(error, text, resume)
            last_end = max(end, resume)
        return len(seen_lines) < MAX_SYNTAX_ERRORS and steps < MAX_RECOVERIES

    # Recovery ends at the end of input, at the error limit, or (on junk) after
    # MAX_RECOVERIES steps: the report then holds the first errors, which is what helps.
    with contextlib.suppress(UnexpectedInput):
        tree_parser().parse(text, on_error=on_error)
    return report.diagnostics


def _extent(error: UnexpectedInput) -> tuple[int, int]:
    if isinstance(error, UnexpectedToken):
        token = error.token
        start = token.start_pos or 0
        return start, token.end_pos or start
    position = error.pos_in_stream or 0
    return position, position + 1


def _insert_missing(error: UnexpectedToken) -> bool:
    """Recovery: if inserting one expected token lets the parser take the unexpected one
    (`say 42` missing its string, a branch missing `->`), insert it and feed the token,
    instead of dropping the token and getting stuck in the same state."""
    parser = error.interactive_parser
    if parser is None or error.state is None or error.token.type == "$END":
        return False
    conf, stack = error.state.parse_conf, error.state.state_stack
    for candidate in sorted(expected(error)):
        if candidate != "$END" and feeds(conf, stack, (candidate, error.token.type)):
            parser.feed_token(Token(candidate, ""))
            parser.feed_token(error.token)
            return True
    return False


def _as_lexed(token: Token, text: str) -> Token:
    """The token as the whole grammar reads it where `token` starts: on an error lark's
    fallback lexer may cut `30s` to the DTMF key `30`; the author wrote a duration."""
    if token.type == "$END" or token.start_pos is None:
        return token
    piece = text[token.start_pos:token.start_pos + PEEK].split("\n", 1)[0]
    with contextlib.suppress(UnexpectedInput, StopIteration):
        first = next(iter(token_reader().lex(piece)))
        if first.start_pos == 0 and len(first) >= len(token):
            return _moved(first, token)
    return token


def _moved(first: Token, token: Token) -> Token:
    """`first` (lexed from the start of `token`'s text) at `token`'s position."""
    width = len(first)
    return Token(first.type, first.value, token.start_pos, token.line, token.column,
                 token.line, (token.column or 1) + width,
                 (token.start_pos or 0) + width)


def _describe(error: UnexpectedInput, text: str, path: str, report: Report) -> None:
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        where = Span.point(path, error.line, error.column)
        if char == '"':
            end = text.find("\n", position)
            width = (len(text) if end < 0 else end) - position
            report.emit("E103", Span.point(path, error.line, error.column, max(width, 1)),
                        hint="close the string with `\"` on the same line")
        else:
            report.emit("E101", where, char=repr(char))
        return
    assert isinstance(error, UnexpectedToken)
    token: Token = error.token
    if token.type == "UNCLOSED_COMMENT":
        report.emit("E108", Span.point(path, token.line or 1, token.column or 1, 2),
                    hint="close the comment with `*/`")
        return
    wanted = describe_expected(expected(error))
    mistake = match_mistake(error)
    token = _as_lexed(token, text)
    if token.type == "$END":
        line = text.count("\n") + 1
        where = Span.point(path, line, len(text) - (text.rfind("\n") + 1) + 1)
    else:
        where = Span(path, token.line or 1, token.column or 1, token.end_line or token.line or 1,
                     token.end_column or (token.column or 1) + 1)
    if mistake is not None:
        report.emit("E105", where, hint=mistake.hint, label=mistake.message)
    elif token.type == "$END":
        report.emit("E106", where, expected=wanted)
    else:
        report.emit("E102", where, suggestion(token, expected(error)),
                    found=describe_token(token), expected=wanted)
