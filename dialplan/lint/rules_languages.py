"""Prompts per language: a `play` or `sound` whose file is recorded for some languages
but not for one the call can be in at that point (L625).

The languages a prompt can be played in: its statement's or flow's own language when
one is given there; otherwise every language the plan can select (compiler/
languages.py: literal `language` options, strings set into `language` or into a
variable a `language` option names). A prompt with a language-neutral file
(`prompts/<name>.wav`) is fine in every language; one found nowhere is L401's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .. import plan as p
from ..compiler.languages import selectable_languages
from ..source import Span
from ..syntax import ast
from ..wording.languages import folder_names
from .config import LintConfig
from .graph import PlanGraph
from .rules_resources import prompt_folders
from .types import Finding


def _played(plan: p.Plan) -> Iterator[tuple[str, p.Voice, Span]]:
    for node in plan.nodes:
        action = node.action
        if isinstance(action, p.Play):
            yield from ((sound, action.voice, node.span) for sound in action.sounds)
        elif isinstance(action, p.Menu | p.Collect | p.Listen):
            prompt = action.input.prompt
            if prompt is not None and prompt.sound is not None:
                yield prompt.sound, prompt.voice, node.span


def recorded_in(name: str, folders: Sequence[Path]) -> tuple[bool, set[str]]:
    """Whether a language-neutral file exists, and the language folders holding one."""
    neutral = any((folder / f"{name}.wav").is_file() for folder in folders)
    languages = {language.name for folder in folders if folder.is_dir()
                 for language in folder.iterdir() if (language / f"{name}.wav").is_file()}
    return neutral, languages


def _has(languages: set[str], code: str) -> bool:
    return any(name in languages for name in folder_names(code))


def missing_in_language(graph: PlanGraph, modules: list[ast.Module], config: LintConfig,
                        root: str) -> Iterator[Finding]:
    folders = prompt_folders(config, root)
    selectable = selectable_languages(modules)
    for name, voice, span in _played(graph.plan):
        neutral, recorded = recorded_in(name, folders)
        if neutral or not recorded:
            continue
        languages = {voice.language} if voice.language_fixed and voice.language else \
            selectable | ({voice.language} if voice.language else set())
        for language in sorted(languages):
            if not _has(recorded, language):
                yield Finding("L625", span, {"name": name, "language": language,
                                             "found": ", ".join(sorted(recorded))})
