"""The conference bridge's clock, and waiting for a recorder's file to close.

Why a clock of our own: the bridge mixes and sends every call's audio once a frame
(20 ms). pjsua2's null sound device does that on a thread of its own, which raced
with call teardown inside pjsip 2.15.1 and aborted the process (see
``native.MasterPort``). Here the pjsua2 thread ticks the bridge between polls, so media
and signalling never run at the same time.

Why it runs only while some call needs it (``needed``: a prompt or music playing, a
recording, a tap, a bridge, digits being sent): a tick is what sends RTP, and a call
that only waits for a key needs none of it. Received RTP (and so RFC 2833 digits) is
read by the socket poll, not by the tick. Since pjproject 2.14 the bridge adds,
connects and removes ports on its tick, so every change of links restarts the clock
(``run``) and it keeps ticking ``LINGER`` after the last need to apply them (and to let
a destroyed recorder write its WAV header). An idle process does not tick at all.
"""

from __future__ import annotations

import logging
import math
import os
import struct
import time
from collections.abc import Callable

from engine.pjsip.native import MasterPort

LOG = logging.getLogger("engine.pjsip")
LINGER = 0.5  # seconds the clock keeps running after the last need
FRAME = 0.02  # seconds of audio per tick (the bridge's ptime)
# Ticks run back to back to catch up after a stall (GIL, a busy CPU), so prompts keep
# their length and timers their meaning; only a longer stall is skipped, not replayed.
MAX_LATE = 100


class BridgeClock:
    """Ticks the bridge from the pjsua2 thread (only ever called from it).

    ``needed`` says whether any call wants media now; it is asked after each poll."""

    def __init__(self, master: MasterPort, needed: Callable[[], bool]) -> None:
        self.running = False
        self._master = master
        self._needed = needed
        self._next = 0.0
        self._stop_at: float | None = None

    def run(self) -> None:
        """Tick from now on (links changed: their queued bridge operations need ticks)."""
        self._stop_at = None
        if not self.running:
            self.running = True
            self._next = time.monotonic()
            LOG.debug("bridge clock started")

    @property
    def pending(self) -> bool:
        """True while the clock lingers before stopping."""
        return self._stop_at is not None

    def wait_ms(self, limit: int) -> int:
        """How long the next poll may block: until the next tick is due, at most ``limit``."""
        if not self.running:
            return limit
        return max(0, min(limit, math.ceil((self._next - time.monotonic()) * 1000)))

    def tick(self, idle: bool = False) -> None:
        """Called after each poll: run the ticks due; stop ``LINGER`` after the last need.

        ``idle`` (no call at all) counts as no need, whatever ``needed`` says."""
        if not self.running:
            return
        now = time.monotonic()
        if idle or not self._needed():
            if self._stop_at is None:
                self._stop_at = now + LINGER
            elif now >= self._stop_at:
                self.running = False
                self._stop_at = None
                LOG.debug("bridge clock stopped")
                return
        else:
            self._stop_at = None
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
