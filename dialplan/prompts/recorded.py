"""Said values from recorded prompts: a number, amount, date or digit string is played
from the language's recordings when every word of it has one; otherwise it is spoken.

The layout, under each prompt folder (see docs/language.md, "Recorded numbers"):

    prompts/<language>/digits/<0-9>.wav     a digit, for `digits`
    prompts/<language>/words/<word>.wav     a word as num2words and Babel write it,
                                            lower case: words/forty.wav, words/two.wav,
                                            words/euro.wav, words/quarante.wav

Only the call's language folders are searched (`fr-CH`, `fr_CH`, then `fr`): a French
amount never borrows an English recording. A value is played from recordings only as
a whole; the text around it is spoken.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..wording.languages import folder_names
from ..wording.said import Said
from .library import safe_name

Piece = str | Path  # text to speak, or a recording to play


def recorded(name: str, folders: Sequence[Path], language: str) -> Path | None:
    """The recording `name` (e.g. `words/forty`) in `language`'s own folders."""
    if not safe_name(name):
        return None
    for folder in folders:
        for lang in folder_names(language):
            candidate = folder / lang / f"{name}.wav"
            if safe_name(lang) and candidate.is_file():
                return candidate
    return None


def pieces(parts: Sequence[Said], language: str, folders: Sequence[Path]) -> list[Piece]:
    """What to play, in order: recordings for values recorded whole, text for the rest
    (adjacent texts joined; texts with nothing to say, like ", ", dropped)."""
    out: list[Piece] = []
    for part in parts:
        files = [recorded(name, folders, language) for name in part.prompts]
        if part.prompts and all(files):
            out.extend(file for file in files if file is not None)
        elif out and isinstance(out[-1], str):
            out[-1] += part.text
        else:
            out.append(part.text)
    return [p for p in out if isinstance(p, Path) or any(ch.isalnum() for ch in p)]
