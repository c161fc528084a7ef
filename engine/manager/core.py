"""SessionManager: one engine (one stack, one process), composed of parts.

Theory of operation: the manager owns a ``Stack`` and hands it to its parts,
each built with exactly what it needs: ``Calls`` (outbound calls, inbound
decisions, admission), ``Control`` (hold, transfer, DTMF, hangup), ``Media``
(prompts, recordings, taps, bridges), ``Cleanup`` (a session's end, the media
watchdog) and the ``SignalRouter`` (stack signals -> state and events). The
methods here are the public API and delegate to the parts. ``start`` brings up
the stack and the watchdog; ``stop`` is graceful: no new calls, hang up the live
ones and wait for their endings (bounded), cancel and await the engine's own
tasks, then stop the stack. After ``stop`` the process can exit 0. Nothing is
shared between processes: run one manager per process behind a dispatcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from engine.admission import ChurnGuard, ResourceLimits
from engine.errors import OperationFailed
from engine.events.bus import EventBus
from engine.handlers.base import CallHandler
from engine.manager.calls import Calls, PriorityRule
from engine.manager.cleanup import Cleanup
from engine.manager.control import Control
from engine.manager.events import SignalRouter
from engine.manager.groups import BridgeRegistry, SessionGroups
from engine.manager.lifecycle import Lifecycle
from engine.manager.media import Media
from engine.manager.registry import ManagerStats, SessionRegistry
from engine.session.handle import CallSession
from engine.session.session import Session
from engine.stack import Stack, StackError
from engine.types import BridgeInfo

LOG = logging.getLogger("engine")


class SessionManager:
    """The engine's entry point; build it with ``SessionManagerBuilder``."""

    def __init__(
        self,
        stack: Stack,
        handler: CallHandler,
        limits: ResourceLimits,
        churn: ChurnGuard,
        *,
        priority_rule: PriorityRule | None = None,
        media_timeout: float = 0.0,
        drain_timeout: float = 3.0,
        strict: bool = False,
        on_load: Callable[[int], None] | None = None,
    ) -> None:
        self.handler = handler
        self.media_timeout = media_timeout
        self.drain_timeout = drain_timeout
        self.bus = EventBus()
        self.registry = SessionRegistry(self.bus, strict, on_load)
        self.groups = SessionGroups()
        self.bridges = BridgeRegistry()
        self._stack = stack
        self._life = Lifecycle()
        self.control = Control(stack, self.registry, self.groups)
        self.media = Media(stack, self.registry, self.bridges, self._life)
        self.calls = Calls(
            stack, self.registry, self._life, self.control, handler, limits, churn, priority_rule
        )
        self._cleanup = Cleanup(
            stack, self.registry, self.groups, self.bridges, self.media, self._life, churn,
            handler, self.handle,
        )
        self._router = SignalRouter(
            stack, self.registry, self._life, self.calls, self.media, self._cleanup
        )

    # -- facts -----------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        """Concurrent calls this engine accepts (never above the wheel's 4)."""
        return self.calls.limits.capacity

    @property
    def churn(self) -> ChurnGuard:
        return self.calls.churn

    @property
    def sip_port(self) -> int:
        return self._stack.sip_port

    @property
    def running(self) -> bool:
        return self._life.running

    @property
    def needs_restart(self) -> bool:
        """The bridge is nearly out of slots: a supervisor should recycle this process."""
        return self.calls.needs_restart

    @property
    def stats(self) -> ManagerStats:
        return self.registry.stats

    # -- life ------------------------------------------------------------------------
    async def start(self) -> None:
        if self._life.running:
            return
        try:
            await self._stack.start(self._router.on_signal)
        except StackError as exc:  # e.g. 120098: the SIP port is in use
            raise OperationFailed("start", exc.status, exc.reason) from None
        self._life.running = True
        if self.media_timeout > 0:
            self._life.spawn(self._cleanup.watch_media(self.media_timeout), "media-watchdog")
        LOG.info("engine listening on %s:%d", self._stack.bind_address, self.sip_port)

    async def stop(self) -> None:
        """Hang up, drain, release everything; safe to call twice. In strict mode,
        raise the first illegal session transition seen."""
        if not self._life.running:
            return
        self._life.running = False
        live = list(self.registry)
        for session in live:
            with contextlib.suppress(Exception):
                await self.control.terminate(session.session_id)
        if live:
            waits = [s.ended.wait() for s in live]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*waits), self.drain_timeout)
        await self._life.cancel_all()
        await self._stack.stop()
        self.media.close_taps()
        await asyncio.sleep(0)  # deliver the last signals the stack queued
        if self.stats.faults:
            raise self.stats.faults[0]

    async def live_objects(self) -> dict[str, int]:
        """Counts of live sessions and stack objects (for leak checks)."""
        counts = await self._stack.live_counts() if self._life.running else {}
        return {"sessions": len(self.registry), **counts}

    async def __aenter__(self) -> SessionManager:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- sessions --------------------------------------------------------------------
    def handle(self, session: Session) -> CallSession:
        return CallSession(self, session)

    def get_session(self, session_id: str) -> CallSession:
        """The handle of a live session (raises SessionNotFound)."""
        return self.handle(self.registry.get(session_id))

    def sessions(self) -> list[CallSession]:
        """Handles of every live session."""
        return [self.handle(s) for s in self.registry]

    async def make_call(self, from_uri: str | None, to_uri: str) -> CallSession:
        """Send an INVITE from ``from_uri`` (None: the engine's own identity)."""
        return self.handle(await self.calls.make_call(from_uri, to_uri))

    async def wait_for_answer(self, session_id: str, timeout: float | None = None) -> None:
        """Return once answered; on timeout cancel and raise ``CallTimeout`` (408)."""
        await self.calls.wait_answered(self.registry.get(session_id), timeout)

    async def wait_answered(self, session: Session, timeout: float | None) -> None:
        await self.calls.wait_answered(session, timeout)

    async def accept_call(self, session_id: str) -> None:
        await self.calls.accept_call(session_id)

    async def progress_call(self, session_id: str) -> None:
        """183 with SDP: early media before the answer (see ``Calls.progress_call``)."""
        await self.calls.progress_call(session_id)

    async def reject_call(self, session_id: str, status: int = 486, reason: str = "") -> None:
        await self.calls.reject_call(session_id, status, reason)

    async def forward_call(self, session_id: str, target: str, status: int = 302) -> None:
        await self.calls.forward_call(session_id, target, status)

    # -- control (see manager/control.py) ----------------------------------------------
    async def hold(self, session_id: str) -> None:
        await self.control.hold(session_id)

    async def resume(self, session_id: str) -> None:
        await self.control.resume(session_id)

    async def transfer(self, session_id: str, target_uri: str) -> None:
        await self.control.transfer(session_id, target_uri)

    async def accept_refer(self, session_id: str, rule: Callable[[str], int] | None) -> None:
        await self.control.accept_refer(session_id, rule)

    async def transfer_attended(self, session_id: str, other_session_id: str) -> None:
        await self.control.transfer_attended(session_id, other_session_id)

    async def send_dtmf(self, session_id: str, digits: str, method: str = "rfc2833") -> None:
        await self.control.send_dtmf(session_id, digits, method)

    async def mute(self, session_id: str) -> None:
        await self.control.mute(session_id, True)

    async def unmute(self, session_id: str) -> None:
        await self.control.mute(session_id, False)

    async def terminate(self, session_id: str) -> None:
        await self.control.terminate(session_id)

    async def terminate_group(self, group: str) -> None:
        await self.control.terminate_group(group)

    # -- media (see manager/media.py) --------------------------------------------------
    async def play(self, session_id: str, path: str, loop: bool = False) -> str:
        return await self.media.play(session_id, path, loop)

    async def stop_playback(self, session_id: str, playback_id: str) -> None:
        await self.media.stop_playback(session_id, playback_id)

    async def record(self, session_id: str, path: str) -> str:
        return await self.media.record(session_id, path)

    async def stop_recording(self, session_id: str, recording_id: str) -> None:
        await self.media.stop_recording(session_id, recording_id)

    def stream_audio(self, session_id: str) -> AsyncIterator[bytes]:
        return self.media.stream_audio(session_id)

    async def bridge(self, first: str, second: str) -> BridgeInfo:
        return await self.media.bridge(first, second)

    async def unbridge(self, bridge: BridgeInfo | str) -> None:
        await self.media.unbridge(bridge)
