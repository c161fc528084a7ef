"""End of a session, and the watchdog for far ends that vanish.

Why: when a call disconnects, the stack has already freed its media objects;
here the engine forgets the session everywhere (registry, groups, bridges,
audio taps), fails a pending ``wait_for_answer`` with the typed error,
publishes ``CallEnded`` and tells the handler. The watchdog covers a far end
that disappears without a BYE: if an active, un-held call receives no RTP for
``media_timeout`` seconds, the engine hangs it up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from engine.admission import ChurnGuard
from engine.errors import call_failed
from engine.events.types import CallEnded
from engine.handlers.base import CallHandler
from engine.manager.groups import BridgeRegistry, SessionGroups
from engine.manager.lifecycle import Lifecycle
from engine.manager.media import Media
from engine.manager.registry import SessionRegistry
from engine.session.handle import CallSession
from engine.session.session import Session
from engine.session.state import CallState
from engine.stack import Stack

LOG = logging.getLogger("engine")


class Cleanup:
    def __init__(
        self,
        stack: Stack,
        registry: SessionRegistry,
        groups: SessionGroups,
        bridges: BridgeRegistry,
        media: Media,
        lifecycle: Lifecycle,
        churn: ChurnGuard,
        handler: CallHandler,
        handle: Callable[[Session], CallSession],
    ) -> None:
        self._stack = stack
        self._registry = registry
        self._groups = groups
        self._bridges = bridges
        self._media = media
        self._lifecycle = lifecycle
        self._churn = churn
        self._handler = handler
        self._handle = handle

    def finish(self, session: Session, status: int, reason: str) -> None:
        """The call is gone on the wire: forget it everywhere, then tell everyone."""
        session.final_status, session.final_reason = status, reason
        self._churn.note_end()
        if not session.answered.done():
            session.answered.set_exception(call_failed(status, reason))
            session.answered.exception()  # mark retrieved: nobody may be waiting
        self._registry.advance(session, CallState.TERMINATED)
        self._registry.remove(session.session_id)
        self._groups.forget(session.session_id)
        self._bridges.forget_session(session.session_id)
        self._media.close_taps(session.session_id)
        session.ended.set()
        self._registry.bus.publish(CallEnded(session.session_id, status, reason))
        self._lifecycle.spawn(
            self._handler.on_call_ended(self._handle(session), reason),
            f"ended-{session.session_id}",
        )

    async def watch_media(self, media_timeout: float) -> None:
        """Hang up active calls whose RTP stopped for ``media_timeout`` seconds."""
        seen: dict[str, tuple[int, float]] = {}
        period = max(0.2, media_timeout / 4)
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for session in self._registry:
                if session.state != CallState.ACTIVE or session.remote_hold:
                    seen.pop(session.session_id, None)
                    continue
                await self._check_rtp(session, seen, now, media_timeout)
            for sid in [s for s in seen if self._registry.find(s) is None]:
                del seen[sid]

    async def _check_rtp(
        self, session: Session, seen: dict[str, tuple[int, float]], now: float, limit: float
    ) -> None:
        packets = await self._stack.rx_packets(session.session_id)
        last = seen.get(session.session_id)
        if last is None or packets != last[0]:
            seen[session.session_id] = (packets, now)
        elif now - last[1] >= limit:
            LOG.info("session %s: no RTP for %.1fs, hanging up", session.session_id, now - last[1])
            seen.pop(session.session_id, None)
            self._registry.advance(session, CallState.TERMINATING)
            await self._stack.hangup(session.session_id)
