"""CallSession: the handle users hold for one call leg.

Why a handle: it reads live state from the engine's record and forwards
every operation to the manager, so it stays valid (and informative: final
status, state) after the call ended, without exposing internals. Why here,
below the manager: handlers receive handles (``on_call_ended``), and they sit
below the manager; so the handle names what it needs from the manager as
``SessionOps``, which ``SessionManager`` provides.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from engine.events.bus import EventBus, Subscription
from engine.session.session import Session
from engine.session.state import CallState


class SessionOps(Protocol):
    """The manager's operations a handle forwards to (``SessionManager`` has them)."""

    bus: EventBus

    async def wait_answered(self, session: Session, timeout: float | None) -> None: ...
    async def accept_call(self, session_id: str) -> None: ...
    async def progress_call(self, session_id: str) -> None: ...
    async def reject_call(self, session_id: str, status: int = 486, reason: str = "") -> None: ...
    async def hold(self, session_id: str) -> None: ...
    async def resume(self, session_id: str) -> None: ...
    async def transfer(self, session_id: str, target_uri: str) -> None: ...
    async def accept_refer(self, session_id: str, rule: Callable[[str], int] | None) -> None: ...
    async def terminate(self, session_id: str) -> None: ...
    async def send_dtmf(self, session_id: str, digits: str, method: str = "rfc2833") -> None: ...
    async def mute(self, session_id: str) -> None: ...
    async def unmute(self, session_id: str) -> None: ...
    async def play(self, session_id: str, path: str, loop: bool = False) -> str: ...
    async def stop_playback(self, session_id: str, playback_id: str) -> None: ...
    async def record(self, session_id: str, path: str) -> str: ...
    async def stop_recording(self, session_id: str, recording_id: str) -> None: ...
    def stream_audio(self, session_id: str) -> AsyncIterator[bytes]: ...


class CallSession:
    def __init__(self, manager: SessionOps, session: Session) -> None:
        self._manager = manager
        self._session = session

    def __repr__(self) -> str:
        return f"CallSession({self.id!r}, {self.state}, {self.remote_uri!r})"

    # -- read-only facts -------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._session.session_id

    @property
    def state(self) -> CallState:
        return self._session.state

    @property
    def direction(self) -> str:
        return self._session.direction

    @property
    def remote_uri(self) -> str:
        return self._session.remote_uri

    @property
    def local_uri(self) -> str:
        return self._session.local_uri

    @property
    def local_hold(self) -> bool:
        return self._session.local_hold

    @property
    def remote_hold(self) -> bool:
        return self._session.remote_hold

    @property
    def final_status(self) -> int:
        return self._session.final_status

    @property
    def final_reason(self) -> str:
        return self._session.final_reason

    @property
    def parent_id(self) -> str | None:
        return self._session.parent_id

    def events(self) -> Subscription:
        """Subscribe to this session's events (close it, or use ``with``)."""
        return self._manager.bus.subscribe(self.id)

    # -- operations ------------------------------------------------------------------
    async def wait_for_answer(self, timeout: float | None = None) -> None:
        await self._manager.wait_answered(self._session, timeout)

    async def wait_ended(self, timeout: float | None = None) -> None:
        await asyncio.wait_for(self._session.ended.wait(), timeout)

    async def accept(self) -> None:
        await self._manager.accept_call(self.id)

    async def progress(self) -> None:
        """183 Session Progress with SDP: prompts play before ``accept`` (early media)."""
        await self._manager.progress_call(self.id)

    async def reject(self, status: int = 486, reason: str = "") -> None:
        await self._manager.reject_call(self.id, status, reason)

    async def hold(self) -> None:
        await self._manager.hold(self.id)

    async def resume(self) -> None:
        await self._manager.resume(self.id)

    async def transfer(self, target_uri: str) -> None:
        await self._manager.transfer(self.id, target_uri)

    async def accept_refer(self, rule: Callable[[str], int] | None) -> None:
        """REFERs from the far end go through ``rule`` (see SessionManager.accept_refer)."""
        await self._manager.accept_refer(self.id, rule)

    async def terminate(self) -> None:
        await self._manager.terminate(self.id)

    async def send_dtmf(self, digits: str, method: str = "rfc2833") -> None:
        await self._manager.send_dtmf(self.id, digits, method)

    async def mute(self) -> None:
        await self._manager.mute(self.id)

    async def unmute(self) -> None:
        await self._manager.unmute(self.id)

    async def play(self, path: str, loop: bool = False) -> str:
        return await self._manager.play(self.id, path, loop)

    async def stop_playback(self, playback_id: str) -> None:
        await self._manager.stop_playback(self.id, playback_id)

    async def record(self, path: str) -> str:
        return await self._manager.record(self.id, path)

    async def stop_recording(self, recording_id: str) -> None:
        await self._manager.stop_recording(self.id, recording_id)

    def stream_audio(self) -> AsyncIterator[bytes]:
        return self._manager.stream_audio(self.id)
