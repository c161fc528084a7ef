"""Released WAV players, kept until the pjsua2 thread holds the only reference.

pjsua2 calls a player's ``onEof2`` on pjmedia's event thread ("ev_thread"), not on the
pjsua2 thread. If the pjsua2 thread drops its reference while that callback runs, the
callback's frame holds the last one and the player is destroyed on ev_thread: its
destructor waits for the conference bridge's mutex, which the pjsua2 thread holds while
it ticks the bridge, and the tick waits (``pjmedia_event_unsubscribe``, destroying another
port) for ev_thread to finish publishing. Both stop for good and with them every call of
the process (seen in soaks at 50 calls/s: gdb showed exactly these two stacks). So a
released player is parked here and let go on the pjsua2 thread, between ticks, once
nothing else references it.
"""

from __future__ import annotations

import sys

# references a parked player has while `bury` looks at it: the list, the loop variable
# and getrefcount's own argument; any more and another thread still holds it
_ONLY_OURS = 3


class Graveyard:
    def __init__(self) -> None:
        self._kept: list[object] = []

    def keep(self, player: object) -> None:
        self._kept.append(player)

    def __len__(self) -> int:
        return len(self._kept)

    def bury(self) -> None:
        """Destroy the players no other thread holds any more (pjsua2 thread, no tick)."""
        if not self._kept:
            return
        self._kept = [player for player in self._kept
                      if sys.getrefcount(player) > _ONLY_OURS]

    def clear(self) -> None:
        """At shutdown, before the endpoint goes: nothing pjsua2 may outlive it."""
        self._kept.clear()
