"""The shape of an `--explain` text, shared by compiler codes and lint rules.

ruff's rule pages are the model: what the check finds, why that is a problem, an example
of the mistake and the same thing written right. Plain data, so the language server can
show the same text on hover.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    name: str  # kebab-case, as ruff names its rules
    what: str
    why: str
    wrong: str
    right: str

    def render(self, code: str, severity: str) -> str:
        return (f"{code} ({self.name}) [{severity}]\n\n"
                f"What it does\n{_wrap(self.what)}\n\n"
                f"Why is this bad?\n{_wrap(self.why)}\n\n"
                f"Example\n{_indent(self.wrong)}\n\n"
                f"Use instead\n{_indent(self.right)}\n")


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.strip("\n").splitlines())


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=88, initial_indent="  ", subsequent_indent="  ")
