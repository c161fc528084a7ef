"""The in-memory wire: the calls both ends share, and the signals they cause.

Why one object under both ends: the engine's side (``MemoryStack``) and the test's
side (``FarEnd``) act on the same calls; every change goes through here, so the
signals come out in the order the pjsua2 adapter emits them (media released
before the final state, media before ``confirmed``), each on the event loop
after the operation that caused it, as with the real stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field

from engine import signals as sig
from engine.stack import ReferRule, StackError

DialPolicy = Callable[[str], int | None]  # dialled URI -> final status, or None: keep ringing


@dataclass(frozen=True, slots=True)
class Action:
    """One thing the engine asked of the stack (what a SIP trace would show)."""

    verb: str
    session_id: str
    detail: tuple[object, ...] = ()


@dataclass
class Leg:
    """One call as the far end sees it."""

    session_id: str
    direction: str  # "inbound" (the test called) | "outbound" (the engine dialled)
    remote_uri: str
    state: str = "ringing"  # ringing | early (183 with SDP: early media) | connected | ended
    response: int | None = None  # final status the engine gave an inbound call
    ended_by: str = ""  # "engine" | "far end"
    rtp_flowing: bool = True
    rx_packets: int = 0
    refer_rule: ReferRule | None = None
    prompts: dict[str, str] = field(default_factory=dict)  # playing: id -> path
    recordings: dict[str, tuple[str, bytearray]] = field(default_factory=dict)
    taps: set[str] = field(default_factory=set)
    heard: list[str] = field(default_factory=list)  # prompts played while media was up


class Wire:
    """Calls, what the engine did, and the signal channel to the engine."""

    def __init__(self, on_dial: DialPolicy | None) -> None:
        self.on_dial = on_dial
        self.legs: dict[str, Leg] = {}
        self.actions: list[Action] = []
        self.bridges: set[frozenset[str]] = set()
        self.on_signal: Callable[[sig.Signal], None] | None = None
        self.running = False
        self._changed = asyncio.Event()

    # -- observing ---------------------------------------------------------------------
    def did(self, verb: str, session_id: str | None = None) -> list[Action]:
        """The engine's actions of one verb (on one session), in order."""
        return [a for a in self.actions if a.verb == verb and session_id in (None, a.session_id)]

    def played(self, session_id: str) -> list[str]:
        """Paths of the prompts the engine played on a call, in order."""
        return [str(a.detail[1]) for a in self.did("play", session_id)]

    async def until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds, re-checked on every change of the wire
        (and every 10 ms, for conditions on the engine's own state)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 0.01)

    # -- changes -----------------------------------------------------------------------
    def record(self, verb: str, session_id: str, *detail: object) -> None:
        if not self.running:
            raise StackError(0, "SIP stack is not running", "stack")
        self.actions.append(Action(verb, session_id, detail))
        self._changed.set()

    def emit(self, signal: sig.Signal) -> None:
        asyncio.get_running_loop().call_soon(self._deliver, signal)

    def _deliver(self, signal: sig.Signal) -> None:
        if self.on_signal is not None:
            self.on_signal(signal)
        self._changed.set()

    def dial(self, leg: Leg) -> None:
        """A new outbound leg rings, or answers or refuses as ``on_dial`` says."""
        self.legs[leg.session_id] = leg
        status = self.on_dial(leg.remote_uri) if self.on_dial else None
        if status is None or status < 200:
            self.emit(sig.StateSignal(leg.session_id, "early", 180, "Ringing"))
        elif status < 300:
            self.connect(leg, status, "OK")
        else:
            self.end(leg, "far end", status, "Refused")

    def early_media(self, leg: Leg) -> None:
        """183 with SDP: the media path is up before any answer (no state signal: the
        dialog stays early, as pjsua reports it)."""
        leg.state = "early"
        self.emit(sig.MediaSignal(leg.session_id, True, False, False))

    def connect(self, leg: Leg, status: int, reason: str) -> None:
        leg.state = "connected"
        self.emit(sig.MediaSignal(leg.session_id, True, False, False))
        self.emit(sig.StateSignal(leg.session_id, "confirmed", status, reason))

    def transfer_result(self, session_id: str, status: int, reason: str = "") -> None:
        """The final NOTIFY of a transfer the engine asked for."""
        self.emit(sig.TransferStatusSignal(session_id, status, reason or "OK", True))

    def stop_prompt(self, leg: Leg, playback_id: str, stopped: bool) -> None:
        if leg.prompts.pop(playback_id, None) is not None:
            self.emit(sig.PlaybackSignal(leg.session_id, playback_id, stopped))

    def close_recording(self, leg: Leg, recording_id: str) -> None:
        """Write the caller's audio as an 8 kHz WAV file, then say it is complete."""
        entry = leg.recordings.pop(recording_id, None)
        if entry is None:
            return
        path, pcm = entry
        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(bytes(pcm))
        self.emit(sig.RecordingSignal(leg.session_id, recording_id, path))

    def end(self, leg: Leg, by: str, status: int, reason: str) -> None:
        """Release media first (as the adapter does), then the final state signal."""
        for pid in list(leg.prompts):
            self.stop_prompt(leg, pid, stopped=True)
        for rid in list(leg.recordings):
            self.close_recording(leg, rid)
        leg.taps.clear()
        self.bridges = {pair for pair in self.bridges if leg.session_id not in pair}
        leg.state, leg.ended_by = "ended", by
        self.emit(sig.StateSignal(leg.session_id, "disconnected", status, reason))
