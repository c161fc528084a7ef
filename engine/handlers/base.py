"""The CallHandler contract: the seed's two methods, asyncio-native.

Why only two: deciding about a new call and hearing that a call ended is all
the manager needs from an application; everything else (DTMF, prompts) is
done through sessions and events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.types import CallDecision, IncomingCall

if TYPE_CHECKING:
    from engine.session.handle import CallSession


class CallHandler:
    """Base class; override ``on_incoming_call`` (and ``on_call_ended`` if useful)."""

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        raise NotImplementedError

    async def on_call_ended(self, call: CallSession, reason: str) -> None:
        return None
