"""Fixed texts of a plan, rendered when it is loaded so a call never waits for them.

A `say` (or a spoken menu prompt) whose text reads no variable sounds the same on
every call: it can be synthesized ahead of time. Templated texts are rendered per
call, on demand, and cached like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import plan as p
from ..compiler.checks import is_template
from .cache import PromptCache, SpokenPrompt


def fixed_prompts(plan: p.Plan) -> Iterator[SpokenPrompt]:
    seen: set[SpokenPrompt] = set()
    for node in plan.nodes:
        action = node.action
        text, voice = None, None
        if isinstance(action, p.Say):
            text, voice = action.text, action.voice
        elif isinstance(action, p.Menu | p.Collect | p.Listen) and action.input.prompt:
            text, voice = action.input.prompt.text, action.input.prompt.voice
        if text is None or voice is None or is_template(text):
            continue
        prompt = SpokenPrompt(text, voice.voice or voice.language, voice.rate, voice.language)
        if prompt not in seen:
            seen.add(prompt)
            yield prompt


def warm(plan: p.Plan, cache: PromptCache) -> tuple[int, int]:
    """Render every fixed prompt of `plan` that is not cached yet: (rendered, cached)."""
    rendered = cached = 0
    for prompt in fixed_prompts(plan):
        if cache.cached(prompt) is not None:
            cached += 1
        else:
            cache.get(prompt)
            rendered += 1
    return rendered, cached
