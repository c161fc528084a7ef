"""Scenario text to a ScenarioFile: one cached LALR parser over scenario.lark, and
every problem (syntax, a bad key, an unreadable time) as a ScenarioError at
`file:line:col`, never a traceback."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from ..loader import display_path
from .model import Pos, ScenarioFile
from .transform import FileBuilder, ScenarioError

GRAMMAR = Path(__file__).with_name("scenario.lark")
SUFFIX = ".test"

# Terminals as a reader would name them in "expected ..." messages.
_WORDS = {"STRING": "a quoted string", "DIGITS": "digits", "DURATION": "a duration like 6s",
          "NUMBER": "a number", "STATE_NAME": "flow.state", "NAME": "a name",
          "OUTCOME_NAME": "answer, busy, noanswer, unavailable, fail or end",
          "TEXT_MODE": "containing or matching", "PROMPT_KIND": "instant or spoken",
          "FIELD": "a field and `=`",
          "WEBHOOK_EVENT": "started, answered, transferred, queued or ended",
          "LBRACE": "`{`", "RBRACE": "`}`", "COMMA": "`,`", "EQUALS": "`=`",
          "$END": "the end of the file"}


@cache
def _parser() -> Lark:
    return Lark.open(str(GRAMMAR), parser="lalr", propagate_positions=True,
                     maybe_placeholders=True)


def parse_scenarios(text: str, path: str) -> ScenarioFile:
    """Raises ScenarioError for anything that is not a well-formed scenario file."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, path, text) from None
    try:
        return FileBuilder(path, text).build(tree)
    except VisitError as error:  # raised inside the transformer: unwrap ours
        if isinstance(error.orig_exc, ScenarioError):
            raise error.orig_exc from None
        raise


def read_scenarios(path: str) -> ScenarioFile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(Pos(path, 1, 1), f"cannot read the file: {error}") from None
    return parse_scenarios(text, display_path(path))


def _expected(names: set[str]) -> str:
    words = sorted({_WORDS.get(name, f"`{name.lower()}`") for name in names})
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _end_of(text: str, path: str) -> Pos:
    lines = text.split("\n")
    return Pos(path, len(lines), len(lines[-1]) + 1)


def _syntax_error(error: UnexpectedInput, path: str, text: str) -> ScenarioError:
    pos = Pos(path, error.line if error.line > 0 else 1, error.column if error.column > 0 else 1)
    if isinstance(error, UnexpectedToken):
        at_end = error.token.type == "$END"
        pos = _end_of(text, path) if at_end else pos
        found = "the end of the file" if at_end else f"`{error.token}`"
        return ScenarioError(pos, f"expected {_expected(error.accepts or error.expected)},"
                                  f" found {found}")
    if isinstance(error, UnexpectedCharacters):
        return ScenarioError(pos, f"unexpected character `{error.char}`"
                                  + (f"; expected {_expected(error.allowed)}"
                                     if error.allowed else ""))
    if isinstance(error, UnexpectedEOF):
        return ScenarioError(_end_of(text, path), f"unexpected end of the file; expected "
                                  f"{_expected(set(error.expected))}")
    return ScenarioError(pos, str(error))
