"""Recorded prompts by name: `prompts/<language>/<name>.wav` (a regional language, as
`fr-CH`, also looks in `fr`), falling back to other languages' folders in a fixed
order and then to `prompts/<name>.wav`.

Names come from the dialplan author, never from the caller; still, a name that would
leave the prompt folders (`..`, absolute paths) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ..wording.languages import folder_names


def safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def find_prompt(name: str, folders: Sequence[Path], language: str = "en",
                fallbacks: Sequence[str] = ("en",)) -> Path | None:
    if not safe_name(name):
        return None
    for folder in folders:
        for lang in dict.fromkeys([*folder_names(language), *fallbacks]):
            candidate = folder / lang / f"{name}.wav"
            if candidate.is_file():
                return candidate
        candidate = folder / f"{name}.wav"
        if candidate.is_file():
            return candidate
    return None
