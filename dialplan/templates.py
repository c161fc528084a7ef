"""Rendering `say` templates: jinja2 in a sandbox, over the call's variables only.

Caller-controlled values (caller id, digits, speech) are only ever data passed to a
template, never template source. A template that fails is logged by the caller of
`render` and spoken with undefined names left empty, so the caller never hears silence
because of a typo.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .wording import said

_strict = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_lenient = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False)
said.install(_strict)
said.install(_lenient)


@lru_cache(maxsize=4096)
def _compiled(text: str, strict: bool) -> Template:
    return (_strict if strict else _lenient).from_string(text)


def render(text: str, variables: Mapping[str, Any]) -> tuple[str, str | None]:
    """The rendered text and, when the strict render failed, why."""
    try:
        return _compiled(text, True).render(variables), None
    except TemplateError as error:
        problem = f"{type(error).__name__}: {error}"
    try:
        return _compiled(text, False).render(variables), problem
    except TemplateError:
        return "", problem


def render_said(text: str, variables: Mapping[str, Any], language: str
                ) -> tuple[str, tuple[said.Said, ...], str | None]:
    """Render a `say` text in `language`: the text, its pieces (values said by the
    filters, with their recorded prompts) and, when something failed, why."""
    if not any(mark in text for mark in ("{{", "{%", "{#")):
        return text, (said.Said(text),), None  # plain text, the common case: no jinja2
    if "|" not in text:  # no filter, so no value said: a plain render
        rendered, problem = render(text, variables)
        return rendered, (said.Said(rendered),), problem
    scope = said.Scope(language)
    rendered, problem = render(text, {**variables, said.SCOPE: scope})
    plain, pieces = scope.split(rendered)
    problems = [problem] if problem else []
    return plain, pieces, "; ".join(problems + scope.problems) or None
