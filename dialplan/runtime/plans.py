"""The plans a service runs: every root in a folder, compiled and checked together.

A PlanSet is immutable. Reloading builds a new one and swaps it in whole; calls keep
the Machine (and so the plan version) they started with. It keeps the exact texts it
was built from and their digest (SHA-256), so the same set can be built again elsewhere
from those texts alone (a pool's workers do: published_plans.py), and two processes
can tell whether they run the same set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..build import Build, build_paths
from ..diagnostics import Diagnostic, Report
from ..loader import Sources
from ..machine import Machine
from ..plan import Plan
from ..plan.routes import best_route
from ..syntax.parser import parse


@dataclass(frozen=True)
class LoadedPlan:
    root: str
    plan: Plan
    machine: Machine

    @property
    def version(self) -> str:
        return self.plan.version


def content_digest(texts: Mapping[str, str]) -> str:
    """SHA-256 of every file's path and text: equal only for the same files."""
    canonical = json.dumps(sorted(texts.items()), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class PlanSet:
    plans: tuple[LoadedPlan, ...]
    texts: tuple[tuple[str, str], ...] = ()  # (path, text) of every file read, sorted
    digest: str = ""  # content_digest of `texts`

    def route(self, called: str, caller: str) -> LoadedPlan | None:
        """The plan whose best route for this call beats the other plans'."""
        ranked = []
        for loaded in self.plans:
            best = best_route(loaded.plan.routes, called, caller)
            if best is not None:
                ranked.append((best[0], loaded.root, loaded))
        return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None

    def versions(self) -> dict[str, str]:
        return {loaded.root: loaded.version for loaded in self.plans}

    def describe(self) -> dict[str, object]:
        """What `/plans` shows: the set's digest and each root's plan version."""
        return {"digest": self.digest, "plans": self.versions()}


Loaded = tuple[PlanSet | None, list[Diagnostic], Sources]


def load_plan_set(folder: Path) -> Loaded:
    """All plans under `folder`, or None and the diagnostics when anything is wrong."""
    sources = Sources()
    return _plan_set(build_paths([str(folder)], sources), sources)


def plan_set_from(texts: Mapping[str, str]) -> Loaded:
    """The plan set of exactly these files (path -> text), as load_plan_set built it from
    a folder holding them; includes are looked up among them. Its digest differs from
    content_digest(texts) if anything else had to be read."""
    sources = Sources()
    for path, text in texts.items():
        module, diagnostics = parse(text, path)
        sources.texts[path], sources.modules[path] = text, module
        sources.diagnostics[path] = diagnostics
    return _plan_set(build_paths(sorted(texts), sources), sources)


def _plan_set(builds: list[Build], sources: Sources) -> Loaded:
    report = Report()
    for build in builds:
        report.extend(build.diagnostics)
    _cross_plan_routes(builds, report)
    if report.has_errors or any(b.plan is None for b in builds):
        return None, report.sorted(), sources
    loaded = tuple(LoadedPlan(b.root, b.plan, Machine(b.plan)) for b in builds if b.plan)
    texts = tuple(sorted(sources.texts.items()))
    return PlanSet(loaded, texts, content_digest(sources.texts)), report.sorted(), sources


def _cross_plan_routes(builds: list[Build], report: Report) -> None:
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for build in builds:
        for rule in build.plan.routes if build.plan else ():
            for number in rule.numbers or ("default",):
                first = seen.setdefault((number, rule.callers), build.root)
                if first != build.root:
                    report.emit("E308", rule.span, number=number, first=first)
