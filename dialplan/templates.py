"""Rendering `say` templates: jinja2 in a sandbox, over the call's variables only.

Caller-controlled values (caller id, digits, speech) are only ever data passed to a
template, never template source. A template that fails is logged by the caller of
`render` and spoken with undefined names left empty, so the caller never hears silence
because of a typo.

Variables are a flat map; dotted names (`account.balance`, `items.0.name`, as an HTTP
lookup stores its JSON) are shown to templates as nested `Group`s so that
`{{ account.balance }}` and `{{ items.0.name }}` read naturally. A name can be both a
value and a prefix (`caller` and `caller.extension`): its Group prints, compares and
measures as the value, and still has the members.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .plan.functions import number_text
from .wording import said


def _finalize(value: Any) -> Any:
    """Numbers print as read: 42.0 from JSON says "42", 1e-05 says "0.00001"."""
    return number_text(value) if isinstance(value, float) else value


_strict = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, finalize=_finalize)
_lenient = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False,
                                finalize=_finalize)
_NO_VALUE = object()


def _plain(value: Any) -> Any:
    """A Group's own value, for the value filters (`{{ caller | digits }}`)."""
    return value._value if isinstance(value, Group) else value


said.install(_strict, _plain)
said.install(_lenient, _plain)


class Group:
    """The variables under one dotted prefix; also the prefix's own value, if it has one.

    Members are read with `.name` or `[key]` (`items.0` is `items[0]`); the sandbox keeps
    a template off the underscore attributes, so a member cannot reach Python internals.
    """

    __slots__ = ("_members", "_value")

    def __init__(self, value: Any, members: dict[str, Any]) -> None:
        self._value = value
        self._members = members

    def __getattr__(self, name: str) -> Any:
        try:
            return self._members[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: object) -> Any:
        return self._members[str(key)]

    def __iter__(self) -> Iterator[Any]:
        """Members in order: numbered ones (a JSON list) by number, others by name."""
        keys = sorted(self._members, key=lambda k: (not k.isdigit(), int(k) if k.isdigit()
                                                   else 0, k))
        return iter([self._members[key] for key in keys])

    def __len__(self) -> int:
        return len(self._members) if self._value is _NO_VALUE else len(str(self._value))

    def __str__(self) -> str:
        return "" if self._value is _NO_VALUE else str(_finalize(self._value))

    def __bool__(self) -> bool:
        return bool(self._members) if self._value is _NO_VALUE else bool(self._value)

    def __eq__(self, other: object) -> bool:
        mine = self._value if self._value is not _NO_VALUE else self._members
        return bool(mine == (other._value if isinstance(other, Group) else other))

    def __hash__(self) -> int:
        return hash(self._value) if self._value is not _NO_VALUE else id(self)


def nested(variables: Mapping[str, Any]) -> Mapping[str, Any]:
    """`variables` with dotted names gathered into Groups; the map itself when it has none."""
    dotted = [name for name in variables if "." in name]
    if not dotted:
        return variables
    tree: dict[str, Any] = {}
    for name in dotted:
        *path, last = name.split(".")
        members = tree
        for part in path:
            here = members.get(part, _NO_VALUE)
            if not isinstance(here, dict):
                members[part] = here = {"": here}
            members = here
        if isinstance(members.get(last), dict):
            members[last][""] = variables[name]
        else:
            members[last] = variables[name]
    view = dict(variables)
    for root, members in tree.items():
        members[""] = variables.get(root, _NO_VALUE)
        view[root] = _grouped(members)
    return view


def _grouped(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    own = value.pop("", _NO_VALUE)
    return Group(own, {name: _grouped(member) for name, member in value.items()})


@lru_cache(maxsize=4096)
def _compiled(text: str, strict: bool) -> Template:
    return (_strict if strict else _lenient).from_string(text)


def render(text: str, variables: Mapping[str, Any]) -> tuple[str, str | None]:
    """The rendered text and, when the strict render failed, why."""
    view = nested(variables)
    try:
        return _compiled(text, True).render(view), None
    except TemplateError as error:
        problem = f"{type(error).__name__}: {error}"
    try:
        return _compiled(text, False).render(view), problem
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
