"""Reading dialplan files: includes resolved relative to the including file, cycles found.

A *root* is a file that no other file in the same set includes (or the first of an
include cycle no root reaches); each root and its includes compile to one plan.
Everything is read once and kept with its text, so diagnostics can quote source lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Report
from .source import Span
from .syntax import ast
from .syntax.parser import parse

SUFFIX = ".dialplan"
BOM = "\ufeff"


@dataclass
class Sources:
    """Every file read in one run: text, parsed module (None on syntax errors), diagnostics."""

    texts: dict[str, str] = field(default_factory=dict)
    modules: dict[str, ast.Module | None] = field(default_factory=dict)
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)

    def load(self, path: str, report: Report, at: Span | None = None) -> ast.Module | None:
        if path in self.modules:
            return self.modules[path]
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            where = at or Span(path, 1, 1, 1, 1)
            report.emit("E201", where, path=path, reason=error.strerror or str(error))
            return None
        try:
            # A byte order mark is no character of the plan: dropped, columns stay right.
            text = data.decode("utf-8").removeprefix(BOM)
        except UnicodeDecodeError as error:
            report.emit("E203", Span(path, 1, 1, 1, 1), path=path, offset=error.start)
            return None
        module, diagnostics = parse(text, path)
        self.texts[path], self.modules[path] = text, module
        self.diagnostics[path] = diagnostics
        report.extend(diagnostics)
        return module


def display_path(path: str | Path) -> str:
    """A path as users wrote it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return relative if not relative.startswith("..") else absolute


def include_path(including: str, written: str) -> str:
    return display_path(Path(including).parent / written)


def load_tree(root: str, sources: Sources, report: Report) -> list[ast.Module] | None:
    """The root and everything it includes, depth first; None when anything failed."""
    modules: list[ast.Module] = []
    ok = _visit(root, None, [], set(), modules, sources, report)
    return modules if ok else None


def _visit(path: str, at: Span | None, stack: list[str], done: set[str],
           modules: list[ast.Module], sources: Sources, report: Report) -> bool:
    if path in done:
        return True
    module = sources.load(path, report, at)
    if module is None:
        return False
    ok = True
    stack.append(path)
    for item in module.items:
        if not isinstance(item, ast.Include):
            continue
        target = include_path(path, str(item.path.value))
        if target in stack:  # an error, but the files read so far are still checked
            cycle = " -> ".join([*stack[stack.index(target):], target])
            report.emit("E202", item.span, cycle=cycle)
            continue
        ok = _visit(target, item.path.span, stack, done, modules, sources, report) and ok
    stack.pop()
    done.add(path)
    if stack:
        modules.append(module)
    else:
        modules.insert(0, module)  # the root comes first, then its includes
    return ok


def expand(paths: Iterable[str]) -> list[str]:
    """Files named, plus every `*.dialplan` below each folder named, sorted and unique."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(str(p) for p in sorted(Path(path).rglob(f"*{SUFFIX}")))
        else:
            found.append(path)
    return list(dict.fromkeys(display_path(p) for p in found))


def roots(files: list[str], sources: Sources, report: Report) -> list[str]:
    """The files to compile as plans: each that no other file in `files` includes, and
    then, for files reached only through an include cycle (two files including each
    other), the first of each cycle, so that a cycle is reported, never skipped."""
    includes = {path: _includes(path, sources, report) for path in files}
    included = {target for path, targets in includes.items() for target in targets
                if target != path}
    chosen = [path for path in files if path not in included]
    reached = _closure(chosen, includes)
    for path in files:
        if path not in reached:
            chosen.append(path)
            reached |= _closure([path], includes)
    return [path for path in files if path in chosen]


def _includes(path: str, sources: Sources, report: Report) -> list[str]:
    module = sources.load(path, report)
    return [include_path(path, str(item.path.value)) for item in module.items
            if isinstance(item, ast.Include)] if module else []


def _closure(starts: list[str], includes: dict[str, list[str]]) -> set[str]:
    """`starts` and every file of `includes` they include, directly or not."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(t for t in includes.get(path, ()) if t in includes)
    return seen
