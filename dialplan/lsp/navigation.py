"""Outline, go to definition, find references and rename, across the included files of
one check: all read the occurrence table of `index`."""

from __future__ import annotations

import os

from lsprotocol import types

from ..source import Span
from ..syntax import ast
from .analysis import Analysis
from .index import Occurrence, occurrences
from .positions import contains, path_to_uri, same_file, to_line_column, to_range

KINDS = {
    ast.Flow: types.SymbolKind.Module,
    ast.QueueDecl: types.SymbolKind.Struct,
    ast.Schedule: types.SymbolKind.Event,
    ast.GlobalSet: types.SymbolKind.Variable,
}


def _lines(analysis: Analysis, path: str) -> list[str]:
    return analysis.texts.get(os.path.abspath(path), "").split("\n")


def _location(analysis: Analysis, span: Span) -> types.Location:
    return types.Location(uri=path_to_uri(span.path),
                          range=to_range(span, _lines(analysis, span.path)))


def outline(analysis: Analysis, path: str) -> list[types.DocumentSymbol]:
    module = analysis.modules.get(path)
    if module is None:
        return []
    lines = _lines(analysis, path)
    found = []
    for item in module.items:
        kind = KINDS.get(type(item))
        name: ast.Name | None = getattr(item, "name", None)
        if kind is None or name is None:
            continue
        children = [_symbol(s.name.text, types.SymbolKind.Function, s.span, s.name.span, lines)
                    for s in item.states] if isinstance(item, ast.Flow) else None
        found.append(_symbol(name.text, kind, item.span, name.span, lines, children))
    return found


def _symbol(name: str, kind: types.SymbolKind, span: Span, name_span: Span, lines: list[str],
            children: list[types.DocumentSymbol] | None = None) -> types.DocumentSymbol:
    return types.DocumentSymbol(name=name, kind=kind, range=to_range(span, lines),
                                selection_range=to_range(name_span, lines), children=children)


def occurrence_at(analysis: Analysis, path: str, position: types.Position
                  ) -> Occurrence | None:
    line, column = to_line_column(position, _lines(analysis, path))
    for found in occurrences(analysis.modules.values()):
        if same_file(found.span.path, path) and contains(found.span, line, column):
            return found
    return None


def _all(analysis: Analysis, key: str) -> list[Occurrence]:
    return [o for o in occurrences(analysis.modules.values()) if o.key == key]


def definition(analysis: Analysis, path: str, position: types.Position
               ) -> list[types.Location]:
    at = occurrence_at(analysis, path, position)
    if at is None:
        return []
    return [_location(analysis, o.span) for o in _all(analysis, at.key) if o.definition]


def references(analysis: Analysis, path: str, position: types.Position,
               include_declaration: bool) -> list[types.Location]:
    at = occurrence_at(analysis, path, position)
    if at is None:
        return []
    return [_location(analysis, o.span) for o in _all(analysis, at.key)
            if include_declaration or not o.definition]


def rename(analysis: Analysis, path: str, position: types.Position, new_name: str
           ) -> types.WorkspaceEdit | None:
    at = occurrence_at(analysis, path, position)
    if at is None:
        return None
    changes: dict[str, list[types.TextEdit]] = {}
    for found in _all(analysis, at.key):
        location = _location(analysis, found.span)
        changes.setdefault(location.uri, []).append(
            types.TextEdit(range=location.range, new_text=new_name))
    return types.WorkspaceEdit(changes=changes)
