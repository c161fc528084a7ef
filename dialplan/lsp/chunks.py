"""Parsing while typing: a file is cut into top-level items (a line that starts, at
column 0, with a top-level keyword begins one), each parsed on its own behind as many
newlines as precede it (so every span comes out where the whole-file parse puts it)
and remembered by its text, so a keystroke re-parses one item, not the file.

Whenever any item fails to parse, the file is parsed whole instead: syntax errors are
then exactly those `dialplan lint` reports (a cut inside a flow or a comment never
parses alone, so it always takes this path)."""

from __future__ import annotations

import bisect
import re
import threading

from ..diagnostics import Diagnostic
from ..syntax import ast
from ..syntax.parser import parse

_ITEM_START = re.compile(r"^(?:include|defaults|route|set|flow|schedule|queue|handlers)\b",
                         re.M)
Parsed = tuple[ast.Module | None, list[Diagnostic]]


class ParseCache:
    """Parsed items by (path, first line, text); entries not used by the last parse of
    a file are dropped, so the cache holds about one copy of each open file."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, int, str], Parsed] = {}
        self._lock = threading.Lock()  # checks run in worker threads

    def parse(self, text: str, path: str) -> Parsed:
        pieces = _cut(text)
        with self._lock:
            known = [self._items.get((path, line, piece)) for line, piece in pieces]
        missing = sum(found is None for found in known)
        if missing > 2 and 3 * missing > len(pieces):  # lines moved: cheaper whole
            return self._whole(text, path, pieces)
        parsed: list[Parsed] = []
        for (line, piece), found in zip(pieces, known, strict=True):
            found = found or parse("\n" * line + piece, path)
            if found[0] is None:
                return parse(text, path)
            parsed.append(found)
        self._keep(path, pieces, parsed)
        items = tuple(item for module, _ in parsed if module for item in module.items)
        return ast.Module(path, items), [d for _, found in parsed for d in found]

    def _whole(self, text: str, path: str, pieces: list[tuple[int, str]]) -> Parsed:
        """Parse the whole text; when it is clean, remember its items piece by piece."""
        module, diagnostics = parse(text, path)
        if module is not None and not diagnostics:
            starts = [line + 1 for line, _ in pieces]
            split: list[list[ast.Item]] = [[] for _ in pieces]
            for item in module.items:
                split[max(bisect.bisect_right(starts, item.span.line) - 1, 0)].append(item)
            self._keep(path, pieces, [(ast.Module(path, tuple(items)), []) for items in split])
        return module, diagnostics

    def _keep(self, path: str, pieces: list[tuple[int, str]], parsed: list[Parsed]) -> None:
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if k[0] != path}
            self._items.update(((path, line, piece), p) for (line, piece), p in zip(
                pieces, parsed, strict=True))


def _cut(text: str) -> list[tuple[int, str]]:
    """(number of lines before it, text) of each top-level piece."""
    starts = [0, *(m.start() for m in _ITEM_START.finditer(text) if m.start() > 0)]
    pieces = []
    line = 0
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        pieces.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    return pieces
