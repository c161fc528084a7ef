"""Span <-> LSP positions: Spans are 1-based characters, end-exclusive; LSP is 0-based
with columns counted in UTF-16 code units, so astral characters count twice."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import from_fs_path

from ..source import Span


def uri_to_path(uri: str) -> str:
    """An absolute file-system path for a `file:` URI (others are kept as names)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    return os.path.abspath(unquote(parsed.path))


def path_to_uri(path: str) -> str:
    return from_fs_path(os.path.abspath(path)) or path


def same_file(span_path: str, path: str) -> bool:
    return os.path.abspath(span_path) == os.path.abspath(path)


def utf16(line: str, characters: int) -> int:
    """The LSP column of the 0-based character offset `characters` of `line`."""
    head = line[:characters]
    return characters + sum(1 for c in head if ord(c) > 0xFFFF)


def to_column(line: str, units: int) -> int:
    """The 1-based character column of the LSP column `units` of `line`."""
    return _characters(line, units) + 1


def _characters(line: str, units: int) -> int:
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def _position(lines: list[str], line: int, column: int) -> types.Position:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return types.Position(max(line - 1, 0), utf16(text, max(column - 1, 0)))


def to_range(span: Span, lines: list[str]) -> types.Range:
    return types.Range(_position(lines, span.line, span.column),
                       _position(lines, span.end_line, span.end_column))


def to_line_column(position: types.Position, lines: list[str]) -> tuple[int, int]:
    """An LSP position as a 1-based (line, column) in characters."""
    text = lines[position.line] if position.line < len(lines) else ""
    return position.line + 1, _characters(text, position.character) + 1


def contains(span: Span, line: int, column: int) -> bool:
    """Whether the 1-based character position falls inside `span` (its end included,
    so a cursor just after a word still counts as on it)."""
    starts = (span.line, span.column) <= (line, column)
    return starts and (line, column) <= (span.end_line, span.end_column)
