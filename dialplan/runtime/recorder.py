"""Recording the caller (voicemail): a new WAV per recording, closed by the engine on
stop, on hangup and at shutdown.

Every recording gets a name no other recording ever had, so nothing is overwritten:
a restart, or the processes of a pool sharing one folder, count their calls from 1
again. The name holds the time, the node and process, the call and the plan's name for
the recording (`20261203T091500Z-pbx-a-4242-in-3-msg-1-9f2c41d7.wav`), each part
reduced to letters, digits, `_` and `-`, so nothing in it can leave the folder. The
file is created exclusively before the engine writes to it: a name already taken is
never reused, even by a process that guessed the same one at the same instant.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import socket
import uuid
import wave
from pathlib import Path

import engine

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


def _safe(part: str, limit: int = 40) -> str:
    """A name part that cannot leave the folder or hide a file: no separators, dots or
    control characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", part)[:limit] or "_"


def recording_path(context: ServiceContext, call_id: str, name: str, number: int) -> Path:
    """A new, empty file for the call's `number`th recording, created here (exclusively)
    so that no other recording can have or take its name."""
    folder = context.config.recordings
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    owner = f"{_safe(context.config.node or socket.gethostname())}-{os.getpid()}"
    stem = f"{stamp}-{owner}-{_safe(call_id, 64)}-{_safe(name)}-{number}"
    while True:
        path = folder / f"{stem}-{uuid.uuid4().hex[:8]}.wav"
        try:
            with path.open("xb"):  # O_CREAT | O_EXCL: never an existing file or link
                return path
        except FileExistsError:
            log.warning("recording name %s already taken: choosing another", path.name)


def wav_seconds(path: str) -> float:
    try:
        with wave.open(path) as audio:
            return audio.getnframes() / audio.getframerate()
    except (OSError, wave.Error, EOFError):
        return 0.0


async def start_recording(context: ServiceContext, session: engine.CallSession,
                          command: cmd.StartRecording, path: Path) -> str:
    """Beep (if asked), then record; returns the engine's recording id."""
    if command.beep:  # kept with the prompts: the recordings folder holds recordings only
        await session.play(str(beep_file(context.config.prompt_cache)))
    recording_id: str = await session.record(str(path))
    return recording_id
