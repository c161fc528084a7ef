"""Checks on what decides the language and voice of prompts and on values said in them.

A literal language must be one values can be said in (E540); a variable named for
the language or voice must be assigned somewhere (E305); a string assigned to the
call's `language` variable is a language too. In `say` templates, `money` needs a
known currency code (E541) and `date` a known style (E542) when they are literals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache

from babel.numbers import is_currency, list_currencies
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from ..diagnostics import Report, did_you_mean
from ..source import Span
from ..syntax import ast
from ..syntax.exprs import Literal, Var
from ..syntax.walk import statements
from ..wording.languages import all_languages, canonical, code_for_name

CALL_LANGUAGE = "language"  # the call variable every prompt's language follows
DATE_STYLES = ("full", "long", "medium", "short")
SaidProblem = tuple[str, str | None, tuple[tuple[str, str], ...]]  # code, hint, words
_environment = SandboxedEnvironment()


def _options(modules: Sequence[ast.Module]) -> Iterator[ast.Option]:
    for module in modules:
        for item in module.items:
            if isinstance(item, ast.Defaults | ast.Flow):
                yield from item.options
            if isinstance(item, ast.Flow):
                for state in item.states:
                    for statement in statements(state.body):
                        if isinstance(statement, ast.Action):
                            yield from statement.options


def _language_sets(modules: Sequence[ast.Module], names: Collection[str] = (CALL_LANGUAGE,)
                   ) -> Iterator[Literal]:
    """String literals assigned to the variables `names` (the call's `language`)."""
    for module in modules:
        for item in module.items:
            if isinstance(item, ast.GlobalSet) and item.name.text in names:
                yield from _string(item.expr)
            if isinstance(item, ast.Flow):
                for state in item.states:
                    for statement in statements(state.body):
                        if isinstance(statement, ast.SetVar) and statement.name.text in names:
                            yield from _string(statement.expr)


def selectable_languages(modules: Sequence[ast.Module]) -> set[str]:
    """Every language a call of the plan can be in, as far as the text tells: the
    `defaults` line's, and strings set into `language` or a variable a `language`
    option names (a statement's or flow's literal is that statement's or flow's own)."""
    found: set[str] = set()
    names = {CALL_LANGUAGE}
    defaults = {id(o) for m in modules for i in m.items if isinstance(i, ast.Defaults)
                for o in i.options}
    for option in _options(modules):
        if option.name.text == "language" and len(option.values) == 1:
            value = option.values[0]
            if isinstance(value, Var):
                names.add(value.name)
            elif id(option) in defaults and isinstance(value, Literal) \
                    and isinstance(value.value, str):
                found.add(value.value)
    found.update(str(literal.value) for literal in _language_sets(modules, names))
    return {code for code in found if canonical(code) is not None}


def _string(expr: object) -> Iterator[Literal]:
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        yield expr


def check_language(code: str, span: Span, report: Report) -> None:
    if canonical(code) is None:
        named = code_for_name(code)
        hint = f"did you mean `{named}`?" if named else did_you_mean(code.lower(),
                                                                     all_languages())
        report.emit("E540", span, hint, language=code)


def check_languages(modules: Sequence[ast.Module], known_vars: Collection[str],
                    report: Report) -> None:
    for option in _options(modules):
        if option.name.text not in ("language", "voice") or len(option.values) != 1:
            continue
        value = option.values[0]
        if isinstance(value, Var) and value.name not in known_vars:
            report.emit("E305", value.span, did_you_mean(value.name, known_vars),
                        name=value.name)
        elif option.name.text == "language" and isinstance(value, Literal) \
                and isinstance(value.value, str):
            check_language(value.value, value.span, report)
    for literal in _language_sets(modules):
        check_language(str(literal.value), literal.span, report)


def check_said_values(text: str, span: Span, report: Report) -> None:
    """Literal arguments of the `money` and `date` filters in a `say` template."""
    for code, hint, words in said_value_problems(text):
        report.emit(code, span, hint, **dict(words))


@lru_cache(maxsize=4096)
def said_value_problems(text: str) -> tuple[SaidProblem, ...]:
    """(code, hint, message words) of each bad literal in a template: a pure function of
    the text, remembered because re-parsing every template is most of a large plan's
    compile (the language server compiles on each keystroke)."""
    try:
        parsed = _environment.parse(text)
    except TemplateSyntaxError:
        return ()  # E412 is reported by the template check
    found: list[SaidProblem] = []
    for node in parsed.find_all(nodes.Filter):
        assert isinstance(node, nodes.Filter)
        first = node.args[0] if node.args else None
        if not isinstance(first, nodes.Const) or not isinstance(first.value, str):
            continue
        if node.name == "money" and not is_currency(first.value.upper()):
            found.append(("E541", did_you_mean(first.value.upper(), list_currencies()),
                          (("currency", first.value),)))
        elif node.name == "date" and first.value not in DATE_STYLES:
            found.append(("E542", did_you_mean(first.value, DATE_STYLES),
                          (("style", first.value), ("valid", ", ".join(DATE_STYLES)))))
    return tuple(found)
