"""One-call entry points: files or text in, a compiled plan and its diagnostics out.

This is what the CLI, the tests and later the service use; nothing here raises on
bad input: every problem is a Diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .compiler.compile import compile_modules
from .compiler.reuse import LoweredFlows
from .diagnostics import Diagnostic, Report
from .loader import Sources, expand, load_tree, roots
from .plan import Plan
from .source import Span
from .syntax import ast
from .syntax.parser import parse


@dataclass
class Build:
    """The outcome for one root file."""

    root: str
    plan: Plan | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    modules: list[ast.Module] = field(default_factory=list)  # the root first, then includes

    @property
    def ok(self) -> bool:
        return self.plan is not None


def build_file(path: str, sources: Sources | None = None, versioned: bool = True,
               reuse: LoweredFlows | None = None) -> Build:
    """Compile the file at `path` and its includes (`versioned`, `reuse`: see
    compile_modules)."""
    sources = sources if sources is not None else Sources()
    report = Report()
    modules = load_tree(path, sources, report)
    if modules is None:
        return Build(path, None, report.sorted())
    plan, diagnostics = _compile(modules, path, versioned, reuse)
    report.extend(diagnostics)
    return _finish(path, plan, report.sorted(), modules)


def build_paths(paths: Iterable[str], sources: Sources | None = None, versioned: bool = True,
                reuse: LoweredFlows | None = None) -> list[Build]:
    """Compile every root found among `paths` (files, or folders searched recursively)."""
    sources = sources if sources is not None else Sources()
    report = Report()
    files = expand(paths)
    builds = [build_file(root, sources, versioned, reuse)
              for root in roots(files, sources, report)]
    if report.diagnostics:  # files that could not even be read while finding roots
        unread = Build("<input>", None, [])
        unread.diagnostics = [d for d in report.sorted()
                              if not any(d in b.diagnostics for b in builds)]
        if unread.diagnostics:
            builds.append(unread)
    return builds


def build_text(text: str, path: str = "<string>") -> Build:
    """Compile one self-contained text (includes are not followed)."""
    module, diagnostics = parse(text, path)
    if module is None:
        return Build(path, None, diagnostics)
    plan, more = _compile([module], path)
    return _finish(path, plan, sorted(set(diagnostics + more)), [module])


def _compile(modules: list[ast.Module], root: str, versioned: bool = True,
             reuse: LoweredFlows | None = None) -> tuple[Plan | None, list[Diagnostic]]:
    try:
        return compile_modules(modules, root=root, versioned=versioned, reuse=reuse)
    except RecursionError:  # a plan the parser took but too deep to walk
        report = Report()
        report.emit("E107", Span(root, 1, 1, 1, 1))
        return None, report.diagnostics


def _finish(path: str, plan: Plan | None, diagnostics: list[Diagnostic],
            modules: list[ast.Module]) -> Build:
    """No plan comes out of a build with errors, whichever stage found them."""
    has_errors = any(d.is_error for d in diagnostics)
    return Build(path, None if has_errors else plan, diagnostics, modules)
