"""A live scenario's clock when the service's trace cannot be read: the wire's silence.

Why: offline, prompts take no time unless a scenario says otherwise. Without a trace
the only sign that a prompt is over is the audio going quiet, so after each step the
clock waits for QUIET seconds of silence, and a scenario's `wait` counts from the later
of where that prompt ended and the caller's last action (the anchor), adding up the
seconds owed since, so that waits add up as they do offline.
"""

from __future__ import annotations

import time
from collections.abc import Callable

QUIET = 1.0  # seconds of silence on the wire that end a prompt
HEARD_WITHIN = 0.35  # seconds (after a step's grace) for a new prompt's audio to arrive


class SilenceClock:
    """When a scenario's waits end, judged from the silence the caller hears."""

    def __init__(self, instant_prompts: bool, limit: float, poll: float) -> None:
        self.instant_prompts = instant_prompts  # else timed prompts: the wall clock
        self.limit, self.poll = limit, poll
        self.anchor: float | None = None  # None: waits count from now
        self.acted_at = time.monotonic()
        self.owed = 0.0

    def acted(self) -> None:
        """The caller did something: later waits count from here at the earliest."""
        self.acted_at = time.monotonic()

    def wait(self, seconds: float) -> None:
        """A scenario's `wait` (a real-time wait: it is the behaviour under test)."""
        if self.anchor is None:
            time.sleep(seconds)
            return
        self.owed += seconds
        time.sleep(max(0.0, self.anchor + self.owed - time.monotonic()))

    def settle(self, quiet: Callable[[], float], ended: Callable[[], bool]) -> None:
        """Wait until the caller has heard QUIET seconds of silence since it last acted
        (`quiet()`: seconds since the audio received was last loud), then anchor the
        scenario's time where that silence began. Counting from the action too: a prompt
        the action set off may take a moment to start (on a loaded host, more than
        HEARD_WITHIN), and the silence before it does not end it."""
        deadline = time.monotonic() + self.limit
        if not self.instant_prompts:
            self.anchor = None
            return
        time.sleep(HEARD_WITHIN)
        while not ended() and time.monotonic() < deadline:
            silent = min(quiet(), time.monotonic() - self.acted_at)
            if silent >= QUIET:
                anchor = time.monotonic() - silent
                if self.anchor is None or anchor > self.anchor + self.poll:
                    self.anchor, self.owed = anchor, 0.0
                return
            time.sleep(self.poll)
