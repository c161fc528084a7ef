"""The issue-15 side-by-side flow both the peer bench and the CPU bench run: the plan and
its 0.72 s "Press one." prompt, made the way the Asterisk peer note made it."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

PLAN = """route 100 -> ivr

flow ivr {
  start:
    answer
    play "press_one"
    collect d digits 1 until "" timeout 15s attempts 1 {
      exhausted -> hangup
    }
    if d == "1" {
      hangup
    }
    wait 12s
    hangup
}
"""


def make_prompt(target: Path) -> float:
    """'Press one.' by espeak-ng at 200 words a minute, as 8 kHz 16-bit mono (the note
    used sox; the standard library's audioop resamples the same way); its seconds."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = target.with_suffix(".espeak")
    subprocess.run(["espeak-ng", "-s", "200", "-w", str(raw), "Press one."], check=True)
    with wave.open(str(raw)) as source:
        rate, frames = source.getframerate(), source.readframes(source.getnframes())
        width, channels = source.getsampwidth(), source.getnchannels()
    raw.unlink()
    if channels != 1 or width != 2:
        raise RuntimeError("espeak-ng wrote something other than 16-bit mono")
    frames, _ = audioop.ratecv(frames, 2, 1, rate, 8000, None)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(frames)
    return len(frames) / 2 / 8000
