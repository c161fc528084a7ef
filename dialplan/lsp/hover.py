"""Hover: on a diagnostic, its code's `lint --explain` text; on a statement keyword,
its section of docs/language.md (when the docs are beside the package, as in a checkout)
and the options it accepts; on a function's name, its signature, what it does and an
example; on a `// noqa: CODE` or any written code, that code's text."""

from __future__ import annotations

import re
from pathlib import Path

from ..compiler.options import VERB_OPTIONS
from ..diagnostics import Diagnostic
from ..lint.explain import explain
from ..plan.functions import FUNCTIONS
from .completion import STATEMENTS, TOP_LEVEL
from .positions import contains

LANGUAGE_DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE = re.compile(r"^[EL][0-9]{3}$")


_STATEMENT_PLACE = re.compile(r"(?:^|[;{]|->)\s*$")  # where a statement can begin


def word_at(text: str, column: int) -> re.Match[str] | None:
    """The word under the 1-based `column` of a line, if any."""
    for match in _WORD.finditer(text):
        if match.start() < column <= match.end() + 1:
            return match
    return None


class Hover:
    """Hover texts; the language reference is read once, when the server starts."""

    def __init__(self, language_doc: Path = LANGUAGE_DOC) -> None:
        self._sections = _read_sections(language_doc)

    def text(self, line_text: str, line: int, column: int, diagnostics: list[Diagnostic]
             ) -> str | None:
        for diagnostic in diagnostics:
            if contains(diagnostic.span, line, column):
                return _fenced(explain(diagnostic.code))
        match = word_at(line_text, column)
        if match is None:
            return None
        word = match.group()
        if _CODE.match(word):
            return _fenced(explain(word))
        function = FUNCTIONS.get(word)
        if function is not None and line_text[match.end():].lstrip().startswith("("):
            return (f"```text\n{function.signature}\n```\n{function.doc}\n\n"
                    f"Example: `{function.example}`")
        keyword = word in STATEMENTS or word in TOP_LEVEL
        if keyword and _STATEMENT_PLACE.search(line_text[:match.start()]):
            return self.statement_doc(word)
        return None

    def statement_doc(self, word: str) -> str:
        parts = [self._section(word) or f"`{word}`"]
        options = VERB_OPTIONS.get(word)
        if options:
            parts.append("Options: " + ", ".join(f"`{name}`" for name in options))
        return "\n\n".join(parts)

    def _section(self, word: str) -> str | None:
        for heading, body in self._sections:
            if word in re.findall(r"[a-z_]+", heading):
                return f"### {heading}\n{body}".strip()
        return None


def _fenced(text: str | None) -> str | None:
    return f"```text\n{text.rstrip()}\n```" if text else None


def _read_sections(language_doc: Path) -> tuple[tuple[str, str], ...]:
    """(heading, body) of each `###` section of the language reference."""
    try:
        text = language_doc.read_text(encoding="utf-8")
    except OSError:
        return ()
    found = []
    for chunk in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = chunk.partition("\n")
        found.append((heading.strip(), body.split("\n## ", 1)[0]))
    return tuple(found)
