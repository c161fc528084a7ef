"""One check of a document as `dialplan lint FILE` would run it, but on the editor's
text: open documents are read from memory, every other file (includes) from disk."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Build, build_paths
from ..compiler.reuse import LoweredFlows
from ..diagnostics import Diagnostic, Report
from ..lint.config import ConfigError, LintConfig, find_config, load_config
from ..lint.rules_resources import prompt_folders
from ..lint.run import lint
from ..loader import BOM, Sources, display_path, expand, load_tree, roots
from ..source import Span
from ..syntax import ast
from .chunks import ParseCache


@dataclass
class OverlaySources(Sources):
    """Sources that prefer the editor's unsaved text to the file on disk."""

    overlay: Mapping[str, str] = field(default_factory=dict)  # absolute path -> text
    cache: ParseCache = field(default_factory=ParseCache)

    def load(self, path: str, report: Report, at: Span | None = None) -> ast.Module | None:
        text = self.overlay.get(os.path.abspath(path))
        if text is None or path in self.modules:
            return super().load(path, report, at)
        module, diagnostics = self.cache.parse(text.removeprefix(BOM), path)
        self.texts[path], self.modules[path] = text.removeprefix(BOM), module
        self.diagnostics[path] = diagnostics
        report.extend(diagnostics)
        return module


@dataclass(frozen=True)
class Analysis:
    """What one check found: the diagnostics of every file read, and the parsed files
    (by absolute path) that navigation and completion work from."""

    path: str
    diagnostics: list[Diagnostic]
    modules: dict[str, ast.Module]
    texts: dict[str, str]
    builds: list[Build]

    def diagnostics_for(self, path: str) -> list[Diagnostic]:
        wanted = os.path.abspath(path)
        return [d for d in self.diagnostics if os.path.abspath(d.span.path) == wanted]


def lint_config(path: str) -> LintConfig:
    """The configuration `dialplan lint` would use; a broken one falls back to defaults
    (the editor still gets feedback; `dialplan lint` reports the broken file)."""
    try:
        return load_config(find_config(Path(path)))
    except ConfigError:
        return LintConfig()


def analyse(path: str, overlay: Mapping[str, str], cache: ParseCache | None = None,
            lowered: LoweredFlows | None = None) -> Analysis:
    """Check the file at `path` (absolute) with `overlay` texts standing in for files;
    `cache` and `lowered` carry the unchanged items' parses and flows' lowerings over
    from the previous check."""
    sources = OverlaySources(overlay=overlay, cache=cache or ParseCache())
    shown = display_path(path)
    # no plan is served from here: its content hash is not needed
    builds = build_paths([shown], sources, versioned=False, reuse=lowered)
    diagnostics = lint(builds, lint_config(path), sources.texts)
    modules = {os.path.abspath(p): m for p, m in sources.modules.items() if m is not None}
    texts = {os.path.abspath(p): t for p, t in sources.texts.items()}
    return Analysis(path, diagnostics, modules, texts, builds)


def prompt_names(path: str) -> list[str]:
    """The prompts `dialplan lint` would find for the file at `path`, for completion."""
    names: set[str] = set()
    for folder in prompt_folders(lint_config(path), path):
        names.update(p.stem for p in [*folder.glob("*.wav"), *folder.glob("*/*.wav")])
    return sorted(names)


def trunk_names(path: str) -> list[str]:
    """The `[trunks.NAME]` of the dialplan.toml `dialplan lint` would use, for completion."""
    return sorted(trunk.name for trunk in lint_config(path).trunks or ())


def including_plans(path: str, folders: Iterable[str], overlay: Mapping[str, str],
                    cache: ParseCache) -> Analysis:
    """The files of every plan under `folders` whose includes reach `path` (read, not
    compiled), so a rename in an included file reaches the files that include it even
    when they are not open in the editor."""
    sources = OverlaySources(overlay=overlay, cache=cache)
    report = Report()
    wanted = os.path.abspath(path)
    modules: dict[str, ast.Module] = {}
    for root in roots(expand(display_path(f) for f in folders), sources, report):
        tree = load_tree(root, sources, report) or []
        if any(os.path.abspath(m.path) == wanted for m in tree):
            modules.update((os.path.abspath(m.path), m) for m in tree)
    texts = {os.path.abspath(p): t for p, t in sources.texts.items()
             if os.path.abspath(p) in modules}
    return Analysis(path, [], modules, texts, [])
