"""Lint of `fetch`: every URL a plan writes must be one the service is allowed to call.

The origin of a fetch URL is literal (the compiler insists, E520) and each `{{ }}` part
can only add path segments or a query; a sample with each such part filled in stands for
the URLs it makes, and is checked against `allowed_urls` the way the runtime checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import plan as p
from ..lookups.urls import allowed
from .config import LintConfig
from .graph import PlanGraph
from .types import Finding

_TEMPLATE_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def disallowed_urls(graph: PlanGraph, config: LintConfig) -> Iterator[Finding]:
    patterns = config.allowed_urls
    if patterns is None:
        return
    for node in graph.plan.nodes:
        if isinstance(node.action, p.Fetch):
            sample = _TEMPLATE_PART.sub("x", node.action.url)
            if not allowed(sample, patterns):
                yield Finding("L610", node.span, {
                    "url": node.action.url, "allowed": ", ".join(patterns) or "none"})
