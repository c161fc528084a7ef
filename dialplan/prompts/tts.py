"""Text to speech: pyttsx3 on espeak-ng, rendering to WAV files.

pyttsx3 keeps driver state per process and is not thread-safe, so one Synthesizer
owns one engine and callers serialise on its lock (the service runs it in a worker
thread). pyttsx3 prints "Audio saved to ..." on stdout: that is swallowed here.
"""

from __future__ import annotations

import contextlib
import io
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

DEFAULT_RATE = 160  # words per minute: clear on a phone line


class Synthesizer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.renders = 0  # how many texts were synthesized: the cache's tests count these

    @cached_property
    def _engine(self) -> Any:
        import pyttsx3  # imported on first use: plain lint/compile never needs it

        return pyttsx3.init()

    @cached_property
    def _voices(self) -> dict[str, str]:
        """Language code or voice name -> espeak voice id (e.g. "ko" -> "sit/ko")."""
        table: dict[str, str] = {}
        for voice in self._engine.getProperty("voices"):
            for language in voice.languages or []:
                table.setdefault(str(language).lower(), voice.id)
            table.setdefault(str(voice.name).lower(), voice.id)
            table.setdefault(str(voice.id).rsplit("/", 1)[-1].lower(), voice.id)
        return table

    def voice_id(self, voice: str | None) -> str | None:
        if voice is None:
            return None
        key = voice.lower()
        return self._voices.get(key) or self._voices.get(key.split("-")[0])

    def has_voice(self, voice: str) -> bool:
        return self.voice_id(voice) is not None

    def render(self, text: str, target: Path, voice: str | None = None,
               rate: int | None = None) -> None:
        """Speak `text` into the WAV file `target` (22,050 Hz mono, 16 bit)."""
        with self._lock:
            engine = self._engine
            voice_id = self.voice_id(voice)
            if voice_id is not None:
                engine.setProperty("voice", voice_id)
            engine.setProperty("rate", rate or DEFAULT_RATE)
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(text, str(target))
                engine.runAndWait()
            self.renders += 1
