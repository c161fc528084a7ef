"""Signal routing: stack signals in, state transitions and bus events out.

Theory of operation: each plain-data signal from the stack arrives here on the
event loop, in order. The router updates the session record through the
registry's state machine (an illegal move is never applied: an error, see
``registry.py``), then publishes the matching public event. Anything that must
await (asking the handler about a new call, hanging up after a successful
transfer) runs in a tracked task, never inline, so the router never blocks.
"""

from __future__ import annotations

import logging
import time

from engine import signals as sig
from engine.events.types import (
    CallReplaced,
    CallTransferred,
    DtmfReceived,
    HoldChanged,
    IncomingCallReceived,
    PlaybackFinished,
    RecordingFinished,
    TransferStatus,
)
from engine.manager.calls import Calls
from engine.manager.cleanup import Cleanup
from engine.manager.lifecycle import Lifecycle
from engine.manager.media import Media
from engine.manager.registry import SessionRegistry
from engine.session.session import Session
from engine.session.state import CallState
from engine.stack import Stack

LOG = logging.getLogger("engine")


class SignalRouter:
    def __init__(
        self,
        stack: Stack,
        registry: SessionRegistry,
        lifecycle: Lifecycle,
        calls: Calls,
        media: Media,
        cleanup: Cleanup,
    ) -> None:
        self._stack = stack
        self._registry = registry
        self._bus = registry.bus
        self._lifecycle = lifecycle
        self._calls = calls
        self._media = media
        self._cleanup = cleanup

    def on_signal(self, signal: sig.Signal) -> None:
        match signal:
            case sig.IncomingSignal():
                self._on_incoming(signal)
            case sig.TransferredSignal():
                self._on_transferred(signal)
            case sig.ReplacedSignal():
                self._on_replaced(signal)
            case sig.AudioFrameSignal(tap_id=tap_id, pcm=pcm):
                self._media.deliver_audio(tap_id, pcm)
            case _:
                session = self._registry.find(signal.session_id)
                if session is None:
                    LOG.debug("signal for unknown session: %s", signal)
                    return
                self._on_session_signal(session, signal)

    def _on_session_signal(self, session: Session, signal: sig.Signal) -> None:
        match signal:
            case sig.StateSignal():
                self._on_state(session, signal)
            case sig.MediaSignal():
                self._on_media(session, signal)
            case sig.DtmfSignal(session_id=sid, digit=digit, method=method):
                self._bus.publish(DtmfReceived(sid, digit, method))
            case sig.TransferStatusSignal():
                self._on_transfer_status(session, signal)
            case sig.PlaybackSignal(session_id=sid, playback_id=pid, stopped=stopped):
                session.playbacks.discard(pid)
                self._bus.publish(PlaybackFinished(sid, pid, stopped))
            case sig.RecordingSignal(session_id=sid, recording_id=rid, path=path):
                session.recordings.pop(rid, None)
                self._bus.publish(RecordingFinished(sid, rid, path))

    def _on_incoming(self, signal: sig.IncomingSignal) -> None:
        session = Session(
            signal.session_id, "inbound", signal.local_uri, signal.remote_uri, signal.request_uri,
            source=signal.source, headers=signal.headers,
        )
        self._registry.add(session)
        self._bus.publish(
            IncomingCallReceived(
                signal.session_id, signal.remote_uri, signal.local_uri, signal.request_uri
            )
        )
        self._lifecycle.spawn(
            self._calls.decide(session, signal.sip_call_id), f"decide-{session.session_id}"
        )

    def _on_transferred(self, signal: sig.TransferredSignal) -> None:
        parent = self._registry.find(signal.parent_session_id)
        local = parent.local_uri if parent else ""
        session = Session(signal.session_id, "outbound", local, signal.target_uri)
        session.parent_id = signal.parent_session_id
        self._registry.add(session)
        self._bus.publish(
            CallTransferred(signal.session_id, signal.parent_session_id, signal.target_uri)
        )

    def _on_replaced(self, signal: sig.ReplacedSignal) -> None:
        old = self._registry.find(signal.replaced_session_id)
        local = old.local_uri if old else ""
        session = Session(signal.session_id, "inbound", local, signal.remote_uri)
        session.parent_id = signal.replaced_session_id
        self._registry.add(session)
        self._bus.publish(
            CallReplaced(signal.session_id, signal.replaced_session_id, signal.remote_uri)
        )

    def _on_state(self, session: Session, signal: sig.StateSignal) -> None:
        if signal.state in ("incoming", "early") and session.state == CallState.INITIATING:
            self._registry.advance(session, CallState.RINGING)
        elif signal.state == "confirmed" and session.state in (
            CallState.INITIATING,
            CallState.RINGING,
            CallState.EARLY_MEDIA,
        ):
            self._mark_answered(session)
        elif signal.state == "disconnected":
            self._cleanup.finish(session, signal.status, signal.reason)

    def _mark_answered(self, session: Session) -> None:
        session.answered_at = time.monotonic()
        self._registry.advance(session, CallState.ACTIVE)
        if not session.answered.done():
            session.answered.set_result(None)

    def _on_media(self, session: Session, signal: sig.MediaSignal) -> None:
        session.media_active = signal.active
        holds = (signal.local_hold, signal.remote_hold)
        changed = (session.local_hold, session.remote_hold) != holds
        session.local_hold, session.remote_hold = holds
        if changed:
            self._bus.publish(HoldChanged(session.session_id, *holds))

    def _on_transfer_status(self, session: Session, signal: sig.TransferStatusSignal) -> None:
        self._bus.publish(
            TransferStatus(session.session_id, signal.status, signal.reason, signal.final)
        )
        if not signal.final or session.state != CallState.TRANSFERRING:
            return
        if 200 <= signal.status < 300:
            # The transferee took over: our leg is done (the notes: hang it up ourselves).
            self._registry.advance(session, CallState.TERMINATING)
            self._lifecycle.spawn(
                self._stack.hangup(session.session_id), f"xfer-bye-{session.session_id}"
            )
        else:
            back = CallState.ON_HOLD if session.local_hold else CallState.ACTIVE
            self._registry.advance(session, back)
