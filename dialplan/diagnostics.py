"""Diagnostics: what every stage reports instead of raising.

A Diagnostic is a small record (code, message, span, severity, hint), like flake8's
Violation. Stages collect them in a `Report`; nothing user-facing ever raises.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .codes import CODES, Severity
from .source import Span

__all__ = ["Diagnostic", "Report", "Severity", "did_you_mean"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    span: Span
    code: str
    message: str
    hint: str | None = field(default=None, compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class Report:
    """Collects diagnostics for one run; `emit` words the message from the code table."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def emit(self, code: str, span: Span, hint: str | None = None, **words: object) -> None:
        rule = CODES[code]
        message = rule.message.format(**words)
        self.diagnostics.append(Diagnostic(span, code, message, hint, rule.severity))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, as in "did you mean `support`?"."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
