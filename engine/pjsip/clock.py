"""The conference bridge's clock, and waiting for a recorder's file to close.

Why a clock of our own: the bridge mixes and sends every call's audio once a frame
(20 ms). pjsua2's null sound device does that on a thread of its own, which raced
with call teardown inside pjsip 2.15.1 and aborted the process (see
``native.MasterPort``). Here the pjsua2 thread ticks the bridge between polls, so media
and signalling never run at the same time. The clock runs while calls exist and
``LINGER`` after the last one: since pjproject 2.14 the bridge adds and removes
ports on its tick, so queued removals (and recorder destruction, which writes the
WAV header) need a few more ticks. An idle process does not tick at all.
"""

from __future__ import annotations

import logging
import math
import os
import struct
import time

from engine.pjsip.native import MasterPort

LOG = logging.getLogger("engine.pjsip")
LINGER = 0.5  # seconds the clock keeps running after the last call
FRAME = 0.02  # seconds of audio per tick (the bridge's ptime)
# Ticks run back to back to catch up after a stall (GIL, a busy CPU), so prompts keep
# their length and timers their meaning; only a longer stall is skipped, not replayed.
MAX_LATE = 100


class BridgeClock:
    """Ticks the bridge from the pjsua2 thread (only ever called from it)."""

    def __init__(self, master: MasterPort) -> None:
        self.running = False
        self._master = master
        self._next = 0.0
        self._stop_at: float | None = None

    def run(self) -> None:
        self._stop_at = None
        if not self.running:
            self.running = True
            self._next = time.monotonic()
            LOG.debug("bridge clock started")

    def stop_soon(self) -> None:
        if self.running:
            self._stop_at = time.monotonic() + LINGER

    @property
    def pending(self) -> bool:
        return self._stop_at is not None

    def wait_ms(self, limit: int) -> int:
        """How long the next poll may block: until the next tick is due, at most ``limit``."""
        if not self.running:
            return limit
        return max(0, min(limit, math.ceil((self._next - time.monotonic()) * 1000)))

    def tick(self, idle: bool) -> None:
        """Called after each poll: run the ticks due; stop when due and still idle."""
        if not self.running:
            return
        now = time.monotonic()
        if self._stop_at is not None and idle and now >= self._stop_at:
            self.running = False
            self._stop_at = None
            LOG.debug("bridge clock stopped")
            return
        if now - self._next > MAX_LATE * FRAME:
            LOG.info("bridge clock %.1f s behind: skipped", now - self._next)
            self._next = now
        while self._next <= now:
            self._master.tick()
            self._next += FRAME

    def flush(self) -> None:
        """One tick now, in place of the next one: applies queued port removals."""
        self._master.tick()
        self._next += FRAME


def wav_closed(path: str) -> bool:
    """True once the WAV header states the real data size (the file is final)."""
    try:
        with open(path, "rb") as wav:
            head = wav.read(8)
            size = os.fstat(wav.fileno()).st_size
    except OSError:
        return False
    return len(head) == 8 and head[:4] == b"RIFF" and struct.unpack("<I", head[4:])[0] == size - 8


def wait_wav_closed(path: str, limit: float = 0.5) -> bool:
    """Wait (bounded) until a destroyed recorder's WAV header is on disk.

    Since pjproject 2.14 the bridge removes ports on its tick, so the header is
    written by the tick after the recorder's destructor (``BridgeClock.flush``).
    """
    deadline = time.monotonic() + limit
    while not wav_closed(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True
