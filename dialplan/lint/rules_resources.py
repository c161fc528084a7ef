"""Rules on what a plan refers to outside itself: prompt files, call targets, queues,
schedules."""

from __future__ import annotations

import fnmatch
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from .. import plan as p
from ..compiler.schedules import DAYS
from ..source import Span
from ..syntax import ast
from .config import LintConfig
from .graph import PlanGraph
from .types import Finding

_TEMPLATE_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _sounds(graph: PlanGraph) -> Iterator[tuple[str, Span]]:
    for node in graph.plan.nodes:
        action = node.action
        if isinstance(action, p.Play):
            yield from ((sound, node.span) for sound in action.sounds)
        elif isinstance(action, p.Menu | p.Collect | p.Listen):
            prompt = action.input.prompt
            if prompt is not None and prompt.sound is not None:
                yield prompt.sound, node.span


def _queue_spans(modules: list[ast.Module]) -> dict[str, Span]:
    return {item.name.text: item.name.span for module in modules for item in module.items
            if isinstance(item, ast.QueueDecl)}


def _music_spans(modules: list[ast.Module]) -> dict[str, Span]:
    """Queue name -> the span of its `music` value (where a missing file is named)."""
    return {item.name.text: setting.values[0].span if setting.values else setting.span
            for module in modules for item in module.items if isinstance(item, ast.QueueDecl)
            for setting in item.settings if setting.name.text == "music"}


def prompt_folders(config: LintConfig, root: str) -> list[Path]:
    """The configured prompt folders, else `prompts` beside the plan: never a folder
    relative to where the checker happens to run."""
    if config.prompt_dirs is not None:
        return list(config.prompt_dirs)
    return [Path(root).parent / "prompts"]


def prompt_exists(name: str, folders: list[Path]) -> bool:
    for folder in folders:
        if (folder / f"{name}.wav").is_file():
            return True
        if any((language / f"{name}.wav").is_file() for language in folder.glob("*/")):
            return True
    return False


def missing_prompts(graph: PlanGraph, modules: list[ast.Module], config: LintConfig,
                    root: str) -> Iterator[Finding]:
    folders = prompt_folders(config, root)
    dirs = ", ".join(f"`{f}`" for f in folders) or "(no prompt folders configured)"
    music_spans = _music_spans(modules)
    music = [(q.music, music_spans[q.name]) for q in graph.plan.queues if q.music]
    for name, span in [*_sounds(graph), *music]:
        if not prompt_exists(name, folders):
            yield Finding("L401", span, {"name": name, "dirs": dirs})


def _targets(graph: PlanGraph, modules: list[ast.Module]) -> Iterator[tuple[str, Span]]:
    for node in graph.plan.nodes:
        if isinstance(node.action, p.Transfer):
            yield node.action.target, node.span
        elif isinstance(node.action, p.Dial) and not node.action.trunk:  # its own patterns
            yield from ((target, node.span) for target in node.action.targets)
    spans = _queue_spans(modules)
    for queue in graph.plan.queues:
        yield from ((agent, spans[queue.name]) for agent in queue.agents)


def disallowed_targets(graph: PlanGraph, modules: list[ast.Module], config: LintConfig
                       ) -> Iterator[Finding]:
    allowed = config.allowed_targets
    if allowed is None:
        return
    for target, span in _targets(graph, modules):
        sample = _TEMPLATE_PART.sub("0", target)  # a variable part stands for digits
        if not any(fnmatch.fnmatchcase(sample, glob) for glob in allowed):
            yield Finding("L402", span, {"target": target, "allowed": ", ".join(allowed)})


def queues_without_fallback(graph: PlanGraph, modules: list[ast.Module]) -> Iterator[Finding]:
    for module in modules:
        for item in module.items:
            if isinstance(item, ast.QueueDecl) and not any(
                    s.name.text == "max_wait" for s in item.settings):
                detail = f"queue `{item.name.text}` has no `max_wait` (the default is 5m)"
                yield Finding("L403", item.name.span, {"detail": detail})
    for node in graph.plan.nodes:
        if isinstance(node.action, p.Enqueue) and not node.has_branch(p.Outcome.NOANSWER):
            detail = (f"`queue {node.action.queue}` has no `noanswer` branch for callers "
                      "still waiting at `max_wait`")
            yield Finding("L403", node.span, {"detail": detail})


def schedule_findings(modules: list[ast.Module], plan: p.Plan) -> Iterator[Finding]:
    spans = {item.name.text: item.name.span for module in modules for item in module.items
             if isinstance(item, ast.Schedule)}
    for schedule in plan.schedules:
        span = spans[schedule.name]
        if not schedule.hours:
            yield Finding("L404", span, {"name": schedule.name, "detail": "it has no hours"})
        ranges = sorted(schedule.hours)
        for (day, start, end), (day2, start2, end2) in itertools.pairwise(ranges):
            if day == day2 and start2 < end:
                yield Finding("L405", span, {"day": DAYS[day], "first": _hm(start, end),
                                             "second": _hm(start2, end2)})


def _hm(start: int, end: int) -> str:
    return f"{start // 60:02}:{start % 60:02}-{end // 60:02}:{end % 60:02}"
