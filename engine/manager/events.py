"""Signal routing: adapter signals in, state transitions and bus events out.

Theory of operation: each plain-data signal from the pjsua2 thread arrives
here on the event loop, in order. The router updates the session record
through its state machine (an illegal move is logged, not applied), then
publishes the matching public event. Anything that must await (asking the
handler about a new call, hanging up after a successful transfer) runs in a
tracked task, never inline, so the router itself never blocks.
"""

from __future__ import annotations

import logging

from engine import signals as sig
from engine.events.types import (
    CallReplaced,
    CallStateChanged,
    CallTransferred,
    DtmfReceived,
    HoldChanged,
    IncomingCallReceived,
    PlaybackFinished,
    RecordingFinished,
    TransferStatus,
)
from engine.manager.base import ManagerBase
from engine.session.session import Session
from engine.session.state import CallState, IllegalTransition

LOG = logging.getLogger("engine")


class SignalRouter(ManagerBase):
    def _on_signal(self, signal: sig.Signal) -> None:
        if isinstance(signal, sig.IncomingSignal):
            self._on_incoming(signal)
            return
        if isinstance(signal, sig.TransferredSignal):
            self._on_transferred(signal)
            return
        if isinstance(signal, sig.ReplacedSignal):
            self._on_replaced(signal)
            return
        if isinstance(signal, sig.AudioFrameSignal):
            self._on_audio(signal)
            return
        session = self.registry.find(signal.session_id)
        if session is None:
            LOG.debug("signal for unknown session: %s", signal)
            return
        match signal:
            case sig.StateSignal():
                self._on_state(session, signal)
            case sig.MediaSignal():
                self._on_media(session, signal)
            case sig.DtmfSignal(session_id=sid, digit=digit, method=method):
                self.bus.publish(DtmfReceived(sid, digit, method))
            case sig.TransferStatusSignal():
                self._on_transfer_status(session, signal)
            case sig.PlaybackSignal(session_id=sid, playback_id=pid, stopped=stopped):
                session.playbacks.discard(pid)
                self.bus.publish(PlaybackFinished(sid, pid, stopped))
            case sig.RecordingSignal(session_id=sid, recording_id=rid, path=path):
                session.recordings.pop(rid, None)
                self.bus.publish(RecordingFinished(sid, rid, path))

    def _advance(self, session: Session, target: CallState) -> None:
        """Apply a transition; an illegal one is a bug (see ``ManagerStats``)."""
        old = session.state
        try:
            changed = session.machine.advance(target)
        except IllegalTransition as exc:
            self.stats.illegal_transitions += 1
            LOG.error("session %s: %s", session.session_id, exc)
            if self.strict:
                self.stats.faults.append(exc)
                raise
            return
        if changed:
            self.bus.publish(CallStateChanged(session.session_id, old, target))

    def _on_incoming(self, signal: sig.IncomingSignal) -> None:
        session = Session(
            signal.session_id, "inbound", signal.local_uri, signal.remote_uri, signal.request_uri
        )
        self.registry.add(session)
        self.bus.publish(
            IncomingCallReceived(
                signal.session_id, signal.remote_uri, signal.local_uri, signal.request_uri
            )
        )
        self._spawn(self._decide(session, signal.sip_call_id), f"decide-{session.session_id}")

    def _on_transferred(self, signal: sig.TransferredSignal) -> None:
        parent = self.registry.find(signal.parent_session_id)
        local = parent.local_uri if parent else ""
        session = Session(signal.session_id, "outbound", local, signal.target_uri)
        session.parent_id = signal.parent_session_id
        self.registry.add(session)
        self.bus.publish(
            CallTransferred(signal.session_id, signal.parent_session_id, signal.target_uri)
        )

    def _on_replaced(self, signal: sig.ReplacedSignal) -> None:
        old = self.registry.find(signal.replaced_session_id)
        local = old.local_uri if old else ""
        session = Session(signal.session_id, "inbound", local, signal.remote_uri)
        session.parent_id = signal.replaced_session_id
        self.registry.add(session)
        self.bus.publish(
            CallReplaced(signal.session_id, signal.replaced_session_id, signal.remote_uri)
        )

    def _on_state(self, session: Session, signal: sig.StateSignal) -> None:
        if signal.state in ("incoming", "early") and session.state == CallState.INITIATING:
            self._advance(session, CallState.RINGING)
        elif signal.state == "confirmed" and session.state in (
            CallState.INITIATING,
            CallState.RINGING,
        ):
            self._mark_answered(session)
        elif signal.state == "disconnected":
            self._finish(session, signal.status, signal.reason)

    def _mark_answered(self, session: Session) -> None:
        import time

        session.answered_at = time.monotonic()
        self._advance(session, CallState.ACTIVE)
        if not session.answered.done():
            session.answered.set_result(None)

    def _on_media(self, session: Session, signal: sig.MediaSignal) -> None:
        session.media_active = signal.active
        changed = (session.local_hold, session.remote_hold) != (
            signal.local_hold,
            signal.remote_hold,
        )
        session.local_hold, session.remote_hold = signal.local_hold, signal.remote_hold
        if changed:
            self.bus.publish(HoldChanged(session.session_id, signal.local_hold, signal.remote_hold))

    def _on_transfer_status(self, session: Session, signal: sig.TransferStatusSignal) -> None:
        self.bus.publish(
            TransferStatus(session.session_id, signal.status, signal.reason, signal.final)
        )
        if not signal.final or session.state != CallState.TRANSFERRING:
            return
        if 200 <= signal.status < 300:
            # The transferee took over: our leg is done (the notes: hang it up ourselves).
            self._advance(session, CallState.TERMINATING)
            self._spawn(self._stack.hangup(session.session_id), f"xfer-bye-{session.session_id}")
        else:
            back = CallState.ON_HOLD if session.local_hold else CallState.ACTIVE
            self._advance(session, back)

    def _on_audio(self, signal: sig.AudioFrameSignal) -> None:
        sink = self._audio_sinks.get(signal.tap_id)
        if sink is not None:
            if sink.full():
                sink.get_nowait()  # a slow consumer loses the oldest audio, not the newest
            sink.put_nowait(signal.pcm)

    # provided by other parts of the manager
    async def _decide(self, session: Session, sip_call_id: str) -> None:
        raise NotImplementedError

    def _finish(self, session: Session, status: int, reason: str) -> None:
        raise NotImplementedError
