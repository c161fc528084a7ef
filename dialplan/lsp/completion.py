"""Completion by context, read from the text before the cursor on its line: after
`goto`/`->`/`run` the states and flows, after `queue` the queues, after `during` the
schedules, after `dial` its kinds (`extension`, `trunk`) and after `dial trunk` the
trunks of dialplan.toml, in a string after `play`/`music` the prompts and after
`holidays` the region codes, in `{{ }}` and conditions the variables (and in
expressions the functions), after a statement its options, and keywords at the start
of a line."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types

from ..compiler.options import QUEUE_SETTINGS, VERB_OPTIONS
from ..plan.calendars import region_codes
from ..plan.functions import FUNCTIONS
from ..syntax import ast
from ..wording.said import FILTERS
from .analysis import Analysis
from .index import occurrences
from .positions import same_file

STATEMENTS = ("answer", "ringing", "progress", "play", "say", "collect", "menu", "listen",
              "set", "if", "elif", "else", "goto", "run", "return", "retry", "transfer",
              "dial", "queue", "record", "hangup", "wait", "fetch")
TOP_LEVEL = ("include", "defaults", "route", "set", "flow", "schedule", "queue", "handlers")

_TARGET = re.compile(r"(?:\bgoto|->|\brun)\s+[\w.]*$")
_ARROW = re.compile(r"->\s+\w*$")
_QUEUE = re.compile(r"^\s*queue\s+\w*$")
_DURING = re.compile(r"\bduring\s+\w*$")
_DIAL_KIND = re.compile(r"(?:^|->|;)\s*dial\s+\w*$")
_DIAL_TRUNK = re.compile(r"(?:^|->|;)\s*dial\s+trunk\s+\w*$")
DIAL_KINDS = ("extension", "trunk")
_PROMPT = re.compile(r'(?:\bplay|\bmusic)\s+(?:"[^"]*",\s*)*"[^"]*$')
_REGION = re.compile(r'\bholidays\s+(?:"[^"]*",\s*)*"[^"]*$')
_VARIABLE = re.compile(r"(?:\{\{\s*\w*$|\b(?:if|elif|and|or|not)\s+\w*$|[=<>!]=?\s*\w*$)")
_TEMPLATE = re.compile(r"\{\{[^}]*$")
# An operand's place in an expression: after an operator, `(` or a call's `,`.
_OPERAND = re.compile(r"(?:[-+*/%(]|\w\(.*,)\s*[\w.]*$")
# A statement before its branches: `{` only inside its strings (`say "{{ name }}" `).
_STATEMENT = re.compile(r'^\s*(?P<verb>[a-z_]+)\b(?P<rest>(?:"(?:[^"\\]|\\.)*"|[^{"])*)$')
_LINE_START = re.compile(r"^\s*\w*$")
_FILTER = re.compile(r"\{\{[^}]*\|\s*\w*$")  # `{{ total | mo`: the value filters


def complete(analysis: Analysis | None, path: str, before: str, line: int,
             prompts: Iterable[str], trunks: Iterable[str] = ()
             ) -> list[types.CompletionItem]:
    """`before` is the line's text up to the cursor; `line` is 1-based; `prompts` and
    `trunks` are the names found outside the plan (prompt folders, dialplan.toml)."""
    if _PROMPT.search(before):
        return _items(prompts, types.CompletionItemKind.File)
    if _REGION.search(before):
        return _items(region_codes(), types.CompletionItemKind.EnumMember)
    names = _names(analysis)
    if _TARGET.search(before):
        flow = _flow_at(analysis, path, line)
        here = [k.split(".", 1)[1] for k in names["state"] if k.startswith(f"{flow}.")]
        statements = STATEMENTS if _ARROW.search(before) else ()  # `-> say ...` too
        return (_items(here, types.CompletionItemKind.Function)
                + _items(names["flow"], types.CompletionItemKind.Module)
                + _items(names["state"], types.CompletionItemKind.Function)
                + _items(statements, types.CompletionItemKind.Keyword))
    if _QUEUE.search(before) and _flow_at(analysis, path, line) is not None:
        return _items(names["queue"], types.CompletionItemKind.Struct)
    if _DURING.search(before):
        return _items(names["schedule"], types.CompletionItemKind.Event)
    if _DIAL_TRUNK.search(before):
        return _items(trunks, types.CompletionItemKind.Interface)
    if _DIAL_KIND.search(before):
        return _items(DIAL_KINDS, types.CompletionItemKind.Keyword)
    if _FILTER.search(before):
        return _items(FILTERS, types.CompletionItemKind.Function)
    if _VARIABLE.search(before) or (_OPERAND.search(before) and _flow_at(analysis, path, line)):
        variables = _items(names["variable"], types.CompletionItemKind.Variable)
        return variables if _TEMPLATE.search(before) else variables + functions()
    statement = _STATEMENT.match(before)
    if statement and statement.group("rest").strip():
        return _options(statement.group("verb"), statement.group("rest"))
    queue = _queue_at(analysis, path, line)
    if _LINE_START.match(before) and queue is not None:
        written = {setting.name.text for setting in queue.settings}
        return _items((s for s in QUEUE_SETTINGS if s not in written),
                      types.CompletionItemKind.Property)
    if _LINE_START.match(before):
        words = STATEMENTS if _flow_at(analysis, path, line) else TOP_LEVEL
        return _items(words, types.CompletionItemKind.Keyword)
    return []


def functions() -> list[types.CompletionItem]:
    """Every function, with its signature and what it does."""
    return [types.CompletionItem(
        label=f.name, kind=types.CompletionItemKind.Function, detail=f.signature,
        documentation=f"{f.doc}\n\n    {f.example}", insert_text=f"{f.name}(")
        for f in FUNCTIONS.values()]


def _options(verb: str, rest: str) -> list[types.CompletionItem]:
    table = VERB_OPTIONS.get(verb)
    if table is None:
        return []
    used = set(re.findall(r"\b[a-z_]+\b", rest))
    return _items((o for o in table if o not in used), types.CompletionItemKind.Property)


def _items(words: Iterable[str], kind: types.CompletionItemKind) -> list[types.CompletionItem]:
    return [types.CompletionItem(label=w, kind=kind) for w in dict.fromkeys(words)]


def _names(analysis: Analysis | None) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {k: [] for k in ("flow", "state", "queue", "schedule",
                                                    "variable")}
    if analysis is not None:
        for found in occurrences(analysis.modules.values()):
            if found.definition:
                names[found.kind].append(found.key.split(":", 1)[1])
    return {kind: sorted(set(words)) for kind, words in names.items()}


def _items_at(analysis: Analysis | None, path: str) -> list[ast.Item]:
    if analysis is None:
        return []
    module = analysis.modules.get(path)
    return list(module.items) if module else []


def _inside(item: ast.Item, path: str, line: int) -> bool:
    span = item.span
    return same_file(span.path, path) and span.line <= line <= span.end_line


def _flow_at(analysis: Analysis | None, path: str, line: int) -> str | None:
    for item in _items_at(analysis, path):
        if isinstance(item, ast.Flow) and _inside(item, path, line):
            return item.name.text
    return None


def _queue_at(analysis: Analysis | None, path: str, line: int) -> ast.QueueDecl | None:
    for item in _items_at(analysis, path):
        if isinstance(item, ast.QueueDecl) and _inside(item, path, line):
            return item
    return None
