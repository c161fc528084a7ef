"""`dialplan lint --explain CODE`: the page for any compiler code or lint rule.

`explanation(code)` gives the plain data (the language server's hover reuses it);
`explain(code)` renders it as text.
"""

from __future__ import annotations

from ..codes import CODES
from .explain_calendars import CALENDAR_EXPLANATIONS
from .explain_exprs import EXPR_EXPLANATIONS
from .explain_fetch import FETCH_EXPLANATIONS
from .explain_say import SAY_EXPLANATIONS
from .explain_syntax import SYNTAX_EXPLANATIONS
from .explain_trunks import TRUNK_EXPLANATIONS
from .explain_values import VALUE_EXPLANATIONS
from .explanation import Explanation
from .registry import RULE_BY_CODE

COMPILER_EXPLANATIONS: dict[str, Explanation] = {**SYNTAX_EXPLANATIONS, **VALUE_EXPLANATIONS,
                                                  **CALENDAR_EXPLANATIONS,
                                                  **SAY_EXPLANATIONS,
                                                  **FETCH_EXPLANATIONS,
                                                  **EXPR_EXPLANATIONS,
                                                  **TRUNK_EXPLANATIONS}


def explanation(code: str) -> tuple[Explanation, str] | None:
    """The explanation of `code` (any case) and its default severity, or None."""
    code = code.upper()
    rule = RULE_BY_CODE.get(code)
    if rule is not None:
        return rule.explanation, rule.severity
    if code in CODES and code in COMPILER_EXPLANATIONS:
        return COMPILER_EXPLANATIONS[code], CODES[code].severity.value
    return None


def explain(code: str) -> str | None:
    found = explanation(code)
    if found is None:
        return None
    text, severity = found
    return text.render(code.upper(), severity)
