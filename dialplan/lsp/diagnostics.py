"""Our diagnostics as LSP diagnostics: same code, message and span as `dialplan lint`;
the hint travels in `data` so code actions can offer its suggestion."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity
from .positions import to_range

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def to_lsp(diagnostic: Diagnostic, lines: list[str]) -> types.Diagnostic:
    message = diagnostic.message
    if diagnostic.hint:
        message = f"{message}\n{diagnostic.hint}"
    return types.Diagnostic(
        range=to_range(diagnostic.span, lines),
        message=message,
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source="dialplan",
        data={"hint": diagnostic.hint} if diagnostic.hint else None,
    )
