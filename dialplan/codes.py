"""Every diagnostic code, its severity and its message template: the one table that words them.

Codes group by stage: E1xx syntax, E2xx files, E3xx names, E4xx arguments and types,
E5xx expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    severity: Severity = Severity.ERROR


_RULES = [
    # syntax
    Rule("E101", "unexpected character {char}"),
    Rule("E102", "expected {expected}, but found {found}"),
    Rule("E103", "unterminated string"),
    Rule("E104", "invalid escape {escape} in string"),
    Rule("E105", "{label}"),  # worded by the syntax mistakes table
    Rule("E106", "unexpected end of file; expected {expected}"),
    Rule("E107", "nesting too deep to handle; split the expression or the blocks"),
    Rule("E108", "unterminated block comment"),
    # files
    Rule("E201", "cannot read {path}: {reason}"),
    Rule("E202", "include cycle: {cycle}"),
    Rule("E203", "{path} is not valid UTF-8 (byte {offset})"),
    # names
    Rule("E301", "undefined state `{name}` in flow `{flow}`"),
    Rule("E302", "undefined flow `{name}`"),
    Rule("E303", "undefined schedule `{name}`"),
    Rule("E304", "undefined queue `{name}`"),
    Rule("E305", "undefined variable `{name}`"),
    Rule("E306", "duplicate {kind} `{name}` (first defined at {first})"),
    Rule("E307", "flow `{name}` has no states, so no entry"),
    Rule("E308", "duplicate route for {number} (first at {first})"),
    # arguments, values, types
    Rule("E401", "unknown option `{name}` for `{verb}` (its options: {valid})"),
    Rule("E402", "`{name}` expects {expected}, got {got}"),
    Rule("E403", "option `{name}` given twice"),
    Rule("E404", "{what} out of range: {detail}"),
    Rule("E405", "invalid key `{key}`: {detail}"),
    Rule("E406", "`{verb}` has no `{event}` branch (it has: {allowed})"),
    Rule("E407", "duplicate branch `{key}` in `{verb}`"),
    Rule("E408", "`retry` outside a menu, collect or listen handler"),
    Rule("E409", "invalid number pattern `{pattern}`: {detail}"),
    Rule("E410", "invalid schedule entry: {detail}"),
    Rule("E411", "cannot compare {left} with {right} using `{op}`"),
    Rule("E412", "template error in `say`: {detail}"),
    Rule("E413", "unknown hangup cause `{name}` (the causes: {valid})"),
    Rule("E414", "`{verb}` requires {what}"),
    Rule("E415", "unknown setting `{name}` for {kind} `{owner}` (its settings: {valid})"),
    Rule("E416", "conflicting options for `{verb}`: {detail}"),
    Rule("E417", "invalid target `{target}`: {detail}"),
    # calendars and shared handlers (E560-E579)
    Rule("E560", "unknown holiday calendar `{region}`: {detail}"),
    # saying values, languages
    Rule("E540", "unsupported language `{language}`: values cannot be said in it"),
    Rule("E541", "unknown currency `{currency}` for `money` (an ISO 4217 code like \"EUR\")"),
    Rule("E542", "unknown date style `{style}` (the styles: {valid})"),
    # fetch (HTTP lookups)
    Rule("E520", "invalid fetch URL `{url}`: {detail}"),
    Rule("E521", "invalid fetch header `{header}`: {detail}"),
    Rule("E522", "invalid fetch body entry `{entry}`: {detail}"),
    Rule("E523", "unknown fetch method `{name}` (the methods: {valid})"),
    Rule("E524", "`fetch` cannot store into `{name}`: it is a fact of the call"),
    # expressions
    Rule("E501", "unknown function `{name}`"),
    Rule("E502", "`{name}` takes {expected}, got {got}"),
    Rule("E503", "`{operand}` is {got}, but `{op}` needs {expected}"),
    Rule("E504", "argument `{param}` of `{name}` must be {expected}, got {got}"),
    Rule("E505", "division by zero: the right side of `{op}` is 0"),
    # trunks
    Rule("E601", "invalid trunk number `{number}`: {detail}"),
]

CODES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
