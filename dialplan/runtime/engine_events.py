"""Engine events in, machine events out: the one place that knows both vocabularies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import engine

from ..machine import events as ev
from .recorder import wav_seconds

if TYPE_CHECKING:
    from .call import CallRun


async def translate(run: CallRun, event: Any) -> list[ev.Event]:
    match event:
        case engine.DtmfReceived(digit=digit):
            return [ev.Digit(digit)] if digit in "0123456789*#" and digit else []
        case engine.PlaybackFinished(playback_id=playback_id):
            await run.prompts.on_playback_finished(playback_id)
            return []
        case engine.TransferStatus(status=status, final=True):
            return [ev.TransferResult(200 <= status < 300, status)]
        case engine.RecordingFinished(path=path):
            run.recording = None
            return [ev.RecordingFinished(path, wav_seconds(path))]
        case engine.CallEnded():
            return [ev.HungUp()]
    return []
