"""Rules on `dial trunk NAME "..."` against the `[trunks.NAME]` tables of dialplan.toml:
a trunk that is not configured (L701, with the closest name as a fix), and a number
written in full that the trunk's patterns never let out (L702: it would take `failed`
on every call). Without a dialplan.toml nothing is known about trunks: no finding."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import did_you_mean
from ..syntax import ast
from ..syntax.exprs import Literal
from ..syntax.walk import statements
from ..trunks import Trunk, number_problem
from .config import LintConfig
from .types import Finding

_TEMPLATE = re.compile(r"\{\{|\{%|\{#")


def _trunk_dials(modules: list[ast.Module]) -> Iterator[tuple[ast.Name, Literal | None]]:
    """(trunk name, number) of every `dial trunk` statement."""
    for module in modules:
        for item in module.items:
            if not isinstance(item, ast.Flow):
                continue
            for state in item.states:
                for statement in statements(state.body):
                    if isinstance(statement, ast.Action) and statement.verb == "dial":
                        names = [a for a in statement.args if isinstance(a, ast.Name)]
                        if len(names) == 2 and names[0].text == "trunk":
                            numbers = [a for a in statement.args if isinstance(a, Literal)]
                            yield names[1], numbers[0] if numbers else None


def trunk_findings(modules: list[ast.Module], config: LintConfig) -> Iterator[Finding]:
    if config.trunks is None:
        return
    trunks: dict[str, Trunk] = {trunk.name: trunk for trunk in config.trunks}
    for name, number in _trunk_dials(modules):
        trunk = trunks.get(name.text)
        if trunk is None:
            known = ", ".join(f"`{t}`" for t in sorted(trunks)) or "none"
            yield Finding("L701", name.span, {"name": name.text, "known": known},
                          did_you_mean(name.text, trunks))
            continue
        text = str(number.value) if number is not None else ""
        if number is None or _TEMPLATE.search(text):
            continue
        if problem := number_problem(text, trunk.allow, trunk.deny):
            yield Finding("L702", number.span, {"number": text, "name": trunk.name,
                                                "detail": problem})
