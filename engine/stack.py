"""The Stack: what the SessionManager needs from a SIP stack, and its errors.

Why a Protocol: the manager drives calls through this surface only, so it can
run on the real pjsua2 adapter (:class:`engine.pjsip.SipStack`) or on the
in-memory one of :mod:`engine.testing` (tests that play the far end in
process). A stack reports what happens on the wire as plain-data signals
(:mod:`engine.signals`) through the callback given to ``start``; it raises
only :class:`StackError` (``UnknownSession`` for a call it does not have).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from engine.signals import Signal

ReferRule = Callable[[str], int]
"""Refer-To URI -> 202 (place the call) or a 4xx-6xx refusal; runs on the SIP thread."""


class StackError(Exception):
    """A stack operation failed; ``status`` is the pj_status_t or SIP code."""

    def __init__(self, status: int, reason: str, title: str = "") -> None:
        super().__init__(f"{title or 'pjsua2'}: {reason} (status {status})")
        self.status = status
        self.reason = reason
        self.title = title


class UnknownSession(StackError):
    """The session has no live call (already disconnected or never existed)."""

    def __init__(self, session_id: str) -> None:
        super().__init__(0, f"no live call for session {session_id}", "lookup")
        self.session_id = session_id


class Stack(Protocol):
    """One SIP endpoint driven from asyncio; sessions are named by the manager's ids."""

    @property
    def sip_port(self) -> int: ...

    @property
    def bind_address(self) -> str: ...

    async def start(self, on_signal: Callable[[Signal], None]) -> None:
        """Open the endpoint; from now on ``on_signal`` is called on the event loop."""

    async def stop(self) -> None:
        """Hang up everything, release every object, close the endpoint."""

    # -- call control ----------------------------------------------------------------
    async def make_call(self, session_id: str, from_uri: str | None, to_uri: str) -> None: ...

    async def answer(self, session_id: str, status: int = 200, reason: str = "") -> None: ...

    async def hangup(
        self, session_id: str, status: int = 0, reason: str = "", contact: str = ""
    ) -> None:
        """BYE, CANCEL or a final response, as the call's state requires; idempotent."""

    async def hold(self, session_id: str) -> None: ...

    async def resume(self, session_id: str) -> None: ...

    async def transfer(self, session_id: str, target_uri: str) -> None: ...

    async def allow_refer(self, session_id: str, rule: ReferRule | None) -> None: ...

    async def transfer_attended(self, session_id: str, other_session_id: str) -> None: ...

    async def send_dtmf(self, session_id: str, digits: str, method: str) -> None: ...

    async def rx_packets(self, session_id: str) -> int:
        """RTP packets received so far (the media watchdog compares them)."""

    # -- media -----------------------------------------------------------------------
    async def play(self, session_id: str, playback_id: str, path: str, loop: bool) -> None: ...

    async def stop_play(self, session_id: str, playback_id: str) -> None: ...

    async def record(self, session_id: str, recording_id: str, path: str) -> None: ...

    async def stop_record(self, session_id: str, recording_id: str) -> None: ...

    async def tap(self, session_id: str, tap_id: str) -> None: ...

    async def untap(self, session_id: str, tap_id: str) -> None: ...

    async def bridge(self, first: str, second: str) -> None: ...

    async def unbridge(self, first: str, second: str) -> None: ...

    async def mute(self, session_id: str, muted: bool) -> None: ...

    async def bridge_slots_left(self) -> int:
        """Free conference-bridge slots (admission refuses calls when nearly none)."""

    async def live_counts(self) -> dict[str, int]:
        """Live stack objects (calls, players, recorders, taps): for leak checks."""
