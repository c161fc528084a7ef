"""Output formats beyond text and JSON: GitHub Actions annotations and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..codes import CODES
from ..diagnostics import Diagnostic
from .explain import explanation
from .registry import RULES

_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        s = d.span
        level = _GITHUB_LEVEL[d.severity.value]
        message = d.message.replace("%", "%25").replace("\n", "%0A")
        lines.append(f"::{level} file={s.path},line={s.line},col={s.column},"
                     f"endLine={s.end_line},endColumn={s.end_column},title={d.code}::{message}")
    return "\n".join(lines)


def _rule_descriptors() -> list[dict[str, object]]:
    """Every code with its `--explain` name, what it finds and why (SARIF viewers show them)."""
    descriptors: list[dict[str, object]] = []
    for code in [*sorted(CODES), *(rule.code for rule in RULES)]:
        found = explanation(code)
        if found is not None:
            page, _ = found
            descriptors.append({"id": code, "name": page.name,
                                "shortDescription": {"text": page.what},
                                "fullDescription": {"text": page.why}})
    return descriptors


def format_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    results = []
    for d in diagnostics:
        s = d.span
        results.append({
            "ruleId": d.code,
            "level": _SARIF_LEVEL[d.severity.value],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": s.path},
                "region": {"startLine": s.line, "startColumn": s.column,
                           "endLine": s.end_line, "endColumn": s.end_column},
            }}],
        })
    log = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "dialplan lint", "rules": _rule_descriptors()}},
                  "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)

