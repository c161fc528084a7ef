"""Recording the caller (voicemail): a new WAV per recording, closed by the engine on
stop, on hangup and at shutdown. File names come from the service (call id and a
counter), never from the caller."""

from __future__ import annotations

import logging
import re
import wave
from pathlib import Path
from typing import Any

from ..machine import commands as cmd
from .context import ServiceContext

log = logging.getLogger(__name__)
# 0.2 s of a 400 Hz square wave at 8 kHz
BEEP = b"".join((8000 if (i // 10) % 2 else -8000).to_bytes(2, "little", signed=True)
                for i in range(1600))


def beep_file(folder: Path) -> Path:
    path = folder / "beep.wav"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(BEEP)
    return path


def recording_path(context: ServiceContext, call_id: str, name: str, number: int) -> Path:
    safe_call = re.sub(r"[^A-Za-z0-9_-]", "_", call_id)[:64]
    folder = context.config.recordings
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{safe_call}-{name}-{number}.wav"


def wav_seconds(path: str) -> float:
    try:
        with wave.open(path) as audio:
            return audio.getnframes() / audio.getframerate()
    except (OSError, wave.Error, EOFError):
        return 0.0


async def start_recording(context: ServiceContext, session: Any, command: cmd.StartRecording,
                          path: Path) -> str:
    """Beep (if asked), then record; returns the engine's recording id."""
    if command.beep:  # kept with the prompts: the recordings folder holds recordings only
        await session.play(str(beep_file(context.config.prompt_cache)))
    recording_id: str = await session.record(str(path))
    return recording_id
