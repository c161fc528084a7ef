"""Running the lint rules on a build: findings become diagnostics; the configuration
selects, ignores and re-grades them; `// noqa` comments suppress them per line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from ..build import Build
from ..diagnostics import Diagnostic, Severity
from . import (
    rules_answer,
    rules_extensions,
    rules_flow,
    rules_input,
    rules_resources,
    rules_routes,
    rules_unused,
)
from .config import LintConfig
from .graph import PlanGraph
from .registry import RULE_BY_CODE
from .rules_exprs import unguarded_sets
from .rules_fetch import disallowed_urls
from .rules_handlers import unused_handlers
from .rules_languages import missing_in_language
from .rules_trunks import trunk_findings
from .types import Finding

# `// noqa` alone silences every code on its line; `// noqa: L101, L202` only those.
_NOQA = re.compile(r"//\s*noqa(?::\s*(?P<codes>[A-Z][0-9]+(?:\s*,\s*[A-Z][0-9]+)*))?")


def findings(build: Build, config: LintConfig) -> Iterator[Finding]:
    if build.plan is None:
        return
    graph = PlanGraph(build.plan)
    modules = build.modules
    yield from rules_flow.unreachable_states(graph)
    yield from rules_flow.implicit_hangups(graph)
    yield from rules_flow.busy_loops(graph)
    yield from rules_flow.retry_resets(graph)
    yield from rules_answer.media_before_answer(graph)
    yield from rules_answer.input_in_early_media(graph)
    yield from rules_input.missing_handlers(graph)
    yield from rules_input.prefix_keys(graph)
    yield from rules_routes.route_findings(graph)
    yield from rules_extensions.unknown_extensions(graph, config.extensions)
    yield from rules_extensions.routes_taking_extensions(graph, config.extensions)
    yield from rules_resources.missing_prompts(graph, modules, config, build.root)
    yield from missing_in_language(graph, modules, config, build.root)
    yield from rules_resources.disallowed_targets(graph, modules, config)
    yield from disallowed_urls(graph, config)
    yield from rules_resources.queues_without_fallback(graph, modules)
    yield from rules_resources.schedule_findings(modules, build.plan)
    yield from trunk_findings(modules, config)
    yield from rules_unused.unused(graph, modules)
    yield from rules_unused.empty_plan(build.plan, build.root)
    yield from unused_handlers(modules)
    yield from unguarded_sets(graph)


def _diagnostic(finding: Finding, config: LintConfig) -> Diagnostic:
    rule = RULE_BY_CODE[finding.code]
    severity = Severity(config.severity.get(finding.code, rule.severity))
    return Diagnostic(finding.span, finding.code, rule.message.format(**finding.words),
                      finding.hint, severity)


def noqa_lines(text: str) -> dict[int, set[str] | None]:
    """Line number -> the codes its `// noqa` names (None: every code)."""
    found: dict[int, set[str] | None] = {}
    if "noqa" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NOQA.search(line)
        if match is not None:
            codes = match.group("codes")
            found[number] = None if codes is None else set(re.split(r"\s*,\s*", codes))
    return found


def _suppressed(diagnostic: Diagnostic, noqa: Mapping[str, dict[int, set[str] | None]]
                ) -> bool:
    lines = noqa.get(diagnostic.span.path, {})
    if diagnostic.span.line not in lines:
        return False
    codes = lines[diagnostic.span.line]
    return codes is None or diagnostic.code in codes


def lint(builds: Iterable[Build], config: LintConfig, texts: Mapping[str, str]
         ) -> list[Diagnostic]:
    """Compiler diagnostics and rule findings of every build, filtered and sorted."""
    found: set[Diagnostic] = set()
    for build in builds:
        found.update(build.diagnostics)
        found.update(_diagnostic(f, config) for f in findings(build, config))
    noqa = {path: noqa_lines(text) for path, text in texts.items()}
    kept = [d for d in found
            if config.wants(d.code) and not (d.code.startswith("L") and _suppressed(d, noqa))]
    return sorted(kept)
