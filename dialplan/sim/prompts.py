"""How long a prompt plays on the virtual clock.

Instant by default: a scenario about menus and transfers should not have to wait
through every prompt. A test of barge-in, or of input thrown away while a prompt
plays, needs prompts that take time: a fixed length each, or an estimate from the
words spoken (and a length per sound file).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .perceived import Heard

PromptTime = Callable[[Heard], float]
WORDS_PER_MINUTE = 150  # a usual text-to-speech pace
SECONDS_PER_SOUND = 2.0
_SECONDS = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s)?")


def instant(heard: Heard) -> float:
    return 0.0


def fixed(seconds: float) -> PromptTime:
    return lambda heard: seconds


def spoken(heard: Heard) -> float:
    if heard.played:
        return SECONDS_PER_SOUND * len(heard.text.split(", "))
    return 60.0 * len(heard.text.split()) / WORDS_PER_MINUTE


def prompt_timing(text: str) -> PromptTime:
    """`instant`, `spoken`, or a fixed length such as `2s` or `500ms`."""
    if text == "instant":
        return instant
    if text == "spoken":
        return spoken
    found = _SECONDS.fullmatch(text)
    if found is None:
        raise ValueError(f"prompt timing {text!r}: use instant, spoken or a length like 2s")
    return fixed(float(found[1]) / (1000 if found[2] == "ms" else 1))
