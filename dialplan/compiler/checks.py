"""Checks on expressions and `say` templates: known names, comparable literals, syntax."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from jinja2 import TemplateAssertionError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from ..diagnostics import Report, did_you_mean
from ..plan.routes import pattern_problem
from ..source import Span
from ..syntax.exprs import BinOp, During, Expr, ListExpr, Literal, Var, walk
from ..wording import said
from .languages import check_said_values

# Facts about the call that every flow can read.
BUILTIN_VARS = frozenset({
    "caller", "caller_name", "called", "call_id", "hour", "minute", "weekday", "date",
    "caller.extension", "caller.authenticated",
})
_ORDERING = {"<", "<=", ">", ">="}
_environment = SandboxedEnvironment()
said.install(_environment)  # the code generator that finds a template's names needs them


def check_expr(expr: Expr, known_vars: Collection[str], schedules: Collection[str],
               report: Report) -> None:
    for node in walk(expr):
        if isinstance(node, Var) and not is_known(node.name, known_vars):
            report.emit("E305", node.span, did_you_mean(node.name, known_vars), name=node.name)
        elif isinstance(node, During) and node.schedule not in schedules:
            report.emit("E303", node.span, did_you_mean(node.schedule, schedules),
                        name=node.schedule)
        elif isinstance(node, BinOp):
            _check_operands(node, report)


def is_known(name: str, known_vars: Collection[str]) -> bool:
    """A variable, a prefix of dotted ones (`account` of `account.balance`), or a member
    of one (`account.balance` where only `account`, say a lookup's result, is declared:
    its members are known only at run time)."""
    if name in known_vars:
        return True
    parts = name.split(".")
    if any(".".join(parts[:end]) in known_vars for end in range(1, len(parts))):
        return True
    prefix = name + "."
    return any(known.startswith(prefix) for known in known_vars)


def _kind(expr: Expr) -> str | None:
    """The static type of a literal operand, or None when only known at run time."""
    if isinstance(expr, Literal):
        return {bool: "boolean", str: "string"}.get(type(expr.value), "number")
    if isinstance(expr, ListExpr):
        return "list"
    return None


def _check_operands(node: BinOp, report: Report) -> None:
    left, right = _kind(node.left), _kind(node.right)
    bad = False
    if node.op in _ORDERING or node.op in ("==", "!="):
        bad = left is not None and right is not None and left != right
        bad = bad or (node.op in _ORDERING and "list" in (left, right))
    elif node.op in ("in", "not in"):
        bad = right is not None and right not in ("list", "string")
    elif node.op == "matches":
        bad = right not in (None, "string")
        if not bad and isinstance(node.right, Literal):
            _check_pattern(str(node.right.value), node.right.span, report)
    if bad:
        report.emit("E411", node.span, left=left or "a value", right=right or "a value",
                    op=node.op)


def _check_pattern(pattern: str, span: Span, report: Report) -> None:
    problem = pattern_problem(pattern)
    if problem:
        report.emit("E409", span, pattern=pattern, detail=problem)


def is_template(text: str) -> bool:
    """Whether `text` has jinja2 markup; plain text is spoken as written."""
    return any(mark in text for mark in ("{{", "{%", "{#"))


@lru_cache(maxsize=4096)
def template_names(text: str) -> tuple[str | None, tuple[str, ...]]:
    """A template's syntax error (or None) and the variables it reads. Plain text, the
    common case, needs no jinja2 parse at all."""
    if not is_template(text):
        return None, ()
    try:
        parsed = _environment.parse(text)
    except TemplateSyntaxError as error:
        return error.message or "syntax error", ()
    internal = _internal_access(parsed)
    if internal is not None:
        return f"`{internal}` reaches for Python internals; the sandbox refuses it", ()
    try:
        return None, tuple(sorted(meta.find_undeclared_variables(parsed)))
    except TemplateAssertionError as error:  # an unknown filter or test: `| numbr`
        return error.message or "unknown filter", ()


def _internal_access(template: nodes.Template) -> str | None:
    """The first `_name` attribute or item a template reads (`''.__class__`), if any:
    the sandbox blocks them at run time; here they become a compile error."""
    for node in template.find_all(nodes.Getattr):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return node.attr
    for item in template.find_all(nodes.Getitem):
        key = getattr(getattr(item, "arg", None), "value", None)
        if isinstance(key, str) and key.startswith("_"):
            return key
    return None


def check_template(text: str, span: Span, known_vars: Collection[str], report: Report) -> None:
    """Jinja2 syntax, and every variable the template reads must be known."""
    error, names = template_names(text)
    if error is not None:
        report.emit("E412", span, detail=error)
    elif names or "|" in text:
        check_said_values(text, span, report)
    for name in names:
        if not is_known(name, known_vars):
            report.emit("E305", span, did_you_mean(name, known_vars), name=name)
