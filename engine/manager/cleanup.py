"""End of a session, and the watchdog for far ends that vanish.

Why: when a call disconnects, the adapter has already freed its pjsua2
objects; here the engine forgets the session everywhere (registry, groups,
bridges, audio sinks), fails a pending ``wait_for_answer`` with the typed
error, publishes ``CallEnded`` and tells the handler. The watchdog covers a
far end that disappears without a BYE: if an active, un-held call receives
no RTP for ``media_timeout`` seconds, the engine hangs it up.
"""

from __future__ import annotations

import asyncio
import logging
import time

from engine.api.errors import call_failed
from engine.events.types import CallEnded
from engine.manager.events import SignalRouter
from engine.session.session import Session
from engine.session.state import CallState

LOG = logging.getLogger("engine")


class Cleanup(SignalRouter):
    def _finish(self, session: Session, status: int, reason: str) -> None:
        session.final_status, session.final_reason = status, reason
        self.churn.note_end()
        if not session.answered.done():
            session.answered.set_exception(call_failed(status, reason))
            session.answered.exception()  # mark retrieved: nobody may be waiting
        self._advance(session, CallState.TERMINATED)
        self.registry.remove(session.session_id)
        self.groups.forget(session.session_id)
        self.bridges.forget_session(session.session_id)
        for tap_id in [t for t in self._audio_sinks if t.startswith(session.session_id + "-")]:
            self._audio_sinks.pop(tap_id).put_nowait(None)
        session.ended.set()
        self.bus.publish(CallEnded(session.session_id, status, reason))
        self._spawn(
            self.handler.on_call_ended(self.handle(session), reason),
            f"ended-{session.session_id}",
        )

    async def _watch_media(self) -> None:
        """Hang up active calls whose RTP stopped for ``media_timeout`` seconds."""
        seen: dict[str, tuple[int, float]] = {}
        period = max(0.2, self.media_timeout / 4)
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for session in self.registry:
                if session.state != CallState.ACTIVE or session.remote_hold:
                    seen.pop(session.session_id, None)
                    continue
                await self._check_rtp(session, seen, now)
            for sid in [s for s in seen if self.registry.find(s) is None]:
                del seen[sid]

    async def _check_rtp(
        self, session: Session, seen: dict[str, tuple[int, float]], now: float
    ) -> None:
        packets = await self._stack.rx_packets(session.session_id)
        last = seen.get(session.session_id)
        if last is None or packets != last[0]:
            seen[session.session_id] = (packets, now)
        elif now - last[1] >= self.media_timeout:
            LOG.info("session %s: no RTP for %.1fs, hanging up", session.session_id, now - last[1])
            seen.pop(session.session_id, None)
            self._advance(session, CallState.TERMINATING)
            await self._stack.hangup(session.session_id)
