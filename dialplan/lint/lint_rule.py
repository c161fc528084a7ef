"""A lint rule: code, name, default severity, message, and the `--explain` text.

The explanation follows ruff's shape: what it does, why it matters, an example of
the mistake and the same thing written right.
"""

from __future__ import annotations

from dataclasses import dataclass

from .explanation import Explanation


@dataclass(frozen=True)
class LintRule:
    code: str
    name: str
    severity: str  # error | warning | info
    message: str  # a format string
    what: str
    why: str
    wrong: str  # an example of the mistake
    right: str  # the same thing written right

    @property
    def explanation(self) -> Explanation:
        return Explanation(self.name, self.what, self.why, self.wrong, self.right)
