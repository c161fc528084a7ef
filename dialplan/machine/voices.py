"""The language and voice a prompt is spoken in, decided at the moment it is spoken.

A statement's own literal `language` wins; else a variable the plan named for it
(`say ... language lang`, or the call's `language` variable, which every prompt reads
unless its statement or flow gives a literal language); else the flow's or plan's
literal. A variable holding a language no library supports is logged and ignored. A
voice belongs to its language: when the call's language replaces the literal one, the
literal voice goes too (text to speech picks the language's voice), unless a voice
variable names one. Values said by template filters are worded in that language
(English when nothing sets one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .. import plan as p
from ..templates import render_said
from ..wording.languages import canonical
from . import commands as cmd
from .state import Cursor
from .walker import Walker

CALL_LANGUAGE = "language"  # the call variable every prompt's language follows
WORDING_DEFAULT = "en"  # values are said in English when no language is set anywhere
MAX_VOICE_NAME = 64


def chosen(voice: p.Voice, env: Mapping[str, object]) -> tuple[str | None, str | None, str | None]:
    """(language, voice, problem) for `voice` given the call's variables."""
    language, name, problem = voice.language, voice.voice, None
    source = voice.language_var or (None if voice.language_fixed else CALL_LANGUAGE)
    if source is not None:
        value = env.get(source)
        if isinstance(value, str) and canonical(value) is not None:
            if language is None or canonical(language) != canonical(value):
                name = None
            language = value
        elif value not in (None, ""):
            problem = f"`{source}` = {str(value)[:32]!r} is not a supported language"
    if voice.voice_var is not None:
        value = env.get(voice.voice_var)
        if isinstance(value, str) and 0 < len(value) <= MAX_VOICE_NAME:
            name = value
    return language, name, problem


def language_of(c: Cursor, voice: p.Voice, env: Mapping[str, object]) -> str | None:
    """The language a `play` looks its files up in (None: the service's)."""
    language, _, problem = chosen(voice, env)
    if problem:
        c.emit(cmd.Log("warning", problem))
    return language


def speak(m: Walker, c: Cursor, now: dt.datetime, template: str, voice: p.Voice,
          barge_in: bool = False, what: str = "say") -> None:
    """Emit the Say for `template` rendered in the chosen language, logging problems."""
    env = m.env(c, now)
    language, name, problem = chosen(voice, env)
    if problem:
        c.emit(cmd.Log("warning", problem))
    wording = canonical(language or "") or WORDING_DEFAULT
    text, parts, problem = render_said(template, env, wording)
    if problem:
        c.emit(cmd.Log("warning", f"{what} template: {problem}"))
    said = parts if any(part.prompts for part in parts) else ()
    c.emit(cmd.Say(text, name, voice.rate, language, barge_in=barge_in, parts=said))
