"""Engine events in, machine events out: the one place that knows both vocabularies.

Pure: it changes nothing. What the executor itself must hear of (a prompt's playback
or a recording ending) the CallRun takes from the engine event before translating it.
"""

from __future__ import annotations

import engine

from ..machine import events as ev
from .recorder import wav_seconds


def translate(event: engine.EngineEvent) -> list[ev.Event]:
    match event:
        case engine.DtmfReceived(digit=digit):
            return [ev.Digit(digit)] if digit in "0123456789*#" and digit else []
        case engine.TransferStatus(status=status, final=True):
            return [ev.TransferResult(200 <= status < 300, status)]
        case engine.RecordingFinished(path=path):
            return [ev.RecordingFinished(path, wav_seconds(path))]
        case engine.CallEnded():
            return [ev.HungUp()]
    return []
