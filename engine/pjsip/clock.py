"""The conference bridge's clock, and waiting for a recorder's file to close.

Why: the null sound device drives the bridge with a 20 ms clock thread; left
running it costs an idle process ~0.3% of a core. It starts when a call is
registered (before its first bridge port is queued). Stopping is deferred
by ``LINGER``: since pjproject 2.14 the bridge adds and removes ports
asynchronously *on that clock*, so it must keep ticking until queued
removals (and recorder destruction, which writes the WAV header) are done.
"""

from __future__ import annotations

import logging
import os
import struct
import time

import pjsua2 as pj

LOG = logging.getLogger("engine.pjsip")
LINGER = 0.5  # seconds the clock keeps running after the last call


class BridgeClock:
    """Start/stop of the null sound device (pjsua2 thread only)."""

    def __init__(self) -> None:
        self.running = False
        self._stop_at: float | None = None

    def run(self) -> None:
        self._stop_at = None
        if not self.running:
            pj.Endpoint.instance().audDevManager().setNullDev()
            self.running = True
            LOG.debug("bridge clock started")

    def stop_soon(self) -> None:
        if self.running:
            self._stop_at = time.monotonic() + LINGER

    @property
    def pending(self) -> bool:
        return self._stop_at is not None

    def tick(self, idle: bool) -> None:
        """Called after each poll: stop the clock when due and still idle."""
        if self._stop_at is not None and idle and time.monotonic() >= self._stop_at:
            pj.Endpoint.instance().audDevManager().setNoDev()
            self.running = False
            self._stop_at = None
            LOG.debug("bridge clock stopped")


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
    """Wait (bounded) for the conference clock to finish destroying a recorder.

    Since pjproject 2.14 the conference bridge removes ports asynchronously on
    its clock thread, so the WAV header is written one clock tick (~20 ms)
    after the recorder's destructor returns. Sleeping here does not re-enter
    pjsip, and the clock thread does not need this thread to progress.
    """
    deadline = time.monotonic() + limit
    while not wav_closed(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True
