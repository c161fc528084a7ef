"""A content-addressed cache of spoken prompts, shared by every process of a host.

The key is a hash of what decides the audio: the language, the voice, the rate and
the text (one text in two languages is two prompts). A file
is written under a temporary name in the cache folder and renamed into place, so a
reader never sees half a file, and two processes rendering the same prompt at once
both end with the same complete file (the last rename wins; the content is equal).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from .tts import DEFAULT_RATE, Synthesizer

RENDER_ATTEMPTS = 3  # espeak-ng now and then writes an empty file: rendering again works
FORMAT_VERSION = "1"  # bump when rendering changes in a way that must not reuse files


@dataclass(frozen=True)
class SpokenPrompt:
    text: str
    voice: str | None = None
    rate: int | None = None
    language: str | None = None

    def key(self) -> str:
        parts = [FORMAT_VERSION, self.language or "", self.voice or "",
                 str(self.rate or DEFAULT_RATE), self.text]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class PromptCache:
    def __init__(self, root: Path, synthesizer: Synthesizer | None = None) -> None:
        self.root = root
        self.synthesizer = synthesizer or Synthesizer()
        self.hits = 0

    def path_for(self, prompt: SpokenPrompt) -> Path:
        key = prompt.key()
        return self.root / key[:2] / f"{key}.wav"

    def cached(self, prompt: SpokenPrompt) -> Path | None:
        path = self.path_for(prompt)
        return path if path.is_file() else None

    def get(self, prompt: SpokenPrompt) -> Path:
        """The WAV for `prompt`, synthesized now only if no process has done it before."""
        path = self.path_for(prompt)
        if path.is_file():
            self.hits += 1
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, RENDER_ATTEMPTS + 1):
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            os.close(handle)
            try:
                self.synthesizer.render(prompt.text, Path(temporary), prompt.voice, prompt.rate)
                _check_wav(Path(temporary))
                os.replace(temporary, path)
                return path
            except (RuntimeError, wave.Error, EOFError):
                if attempt == RENDER_ATTEMPTS:
                    raise
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        raise AssertionError("unreachable")


def _check_wav(path: Path) -> None:
    """Refuse to cache what is not a playable WAV (e.g. the engine failed silently)."""
    with wave.open(str(path)) as audio:
        if audio.getnframes() == 0:
            raise RuntimeError(f"speech synthesis produced no audio for {path.name}")
