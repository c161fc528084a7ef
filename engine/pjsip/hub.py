"""The adapter's state on the pjsua2 thread: registries, callbacks, release.

Theory of operation: every pjsua2 object (calls, accounts, players, recorders,
taps) is referenced only from here, and here is only touched from the pjsua2
thread. Registries are keyed by our session id, never by pjsua's call id,
because pjsua reuses ids. A ``Call`` is kept referenced from creation until its
DISCONNECTED callback (trap 1: a collected Call tears the call down) and is
dropped inside that very callback (trap 2: a late delete would hang up
whichever new call reused the id). A session's media is released before its
final state signal goes out, so listeners that see the call end find its
recordings already closed. What gets in at all (trusted sources, far-end
REFERs, requests outside calls) is decided by ``admission`` and ``gate``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pjsua2 as pj

from engine.pjsip import admission
from engine.pjsip.accounts import Accounts, PjAccount
from engine.pjsip.call import PjCall
from engine.pjsip.clock import BridgeClock, wait_wav_closed
from engine.pjsip.endpoint import StackConfig
from engine.pjsip.gate import Gate
from engine.pjsip.graveyard import Graveyard
from engine.pjsip.media import (
    CLOCK_RATE,
    FRAME_USEC,
    WITH_PORT,
    SessionMedia,
    apply_links,
    audio_status,
)
from engine.pjsip.native import MasterPort, Native
from engine.signals import (
    DtmfSignal,
    IncomingSignal,
    MediaSignal,
    PlaybackSignal,
    RecordingSignal,
    ReplacedSignal,
    Signal,
    StateSignal,
    TransferStatusSignal,
)
from engine.sip_headers import extension_headers
from engine.sources import TrustedSources
from engine.stack import ReferRule

STATE_NAMES = {
    pj.PJSIP_INV_STATE_NULL: "null",
    pj.PJSIP_INV_STATE_CALLING: "calling",
    pj.PJSIP_INV_STATE_INCOMING: "incoming",
    pj.PJSIP_INV_STATE_EARLY: "early",
    pj.PJSIP_INV_STATE_CONNECTING: "connecting",
    pj.PJSIP_INV_STATE_CONFIRMED: "confirmed",
    pj.PJSIP_INV_STATE_DISCONNECTED: "disconnected",
}


class Hub:
    """Owns the live pjsua2 objects of one endpoint."""

    def __init__(
        self,
        config: StackConfig,
        sip_port: int,
        transport_id: int,
        emit: Callable[[Signal], None],
        post: Callable[[Callable[[], None]], None],
    ) -> None:
        self.config = config
        self.sip_port = sip_port
        self.emit = emit
        self.post = post
        self.calls: dict[str, PjCall] = {}
        self.media: dict[str, SessionMedia] = {}
        self._ids = itertools.count(1)
        self.native = Native()
        self.graveyard = Graveyard()  # released players, destroyed between ticks
        master = MasterPort(self.native, CLOCK_RATE * FRAME_USEC // 1_000_000)
        self.clock = BridgeClock(master, self.media_needed)
        self.gate = Gate(self.native)  # closed by the worker before libDestroy
        self.trusted = TrustedSources(config.trusted_sources)
        self.refer_rules: dict[str, ReferRule] = {}  # session id -> who may REFER it where
        self.unanswered_invites: dict[str, int] = {}  # session id -> its INVITE tsx (C pointer)
        self.accounts = Accounts(self, config, transport_id, sip_port)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def register(self, call: PjCall) -> None:
        self.clock.run()  # before the call's first bridge port is queued
        self.calls[call.session_id] = call
        self.media[call.session_id] = SessionMedia()

    def media_needed(self) -> bool:
        """Whether any call wants the bridge to tick (see ``clock.py``)."""
        now = time.monotonic()
        return bool(self.graveyard) or any(m.needs_clock(now) for m in self.media.values())

    def relink(self, session_id: str) -> None:
        """Re-apply a session's links; the clock ticks so the bridge applies them."""
        self.clock.run()
        apply_links(self.calls, self.media, session_id)

    def call(self, session_id: str) -> PjCall:
        from engine.stack import UnknownSession

        try:
            return self.calls[session_id]
        except KeyError:
            raise UnknownSession(session_id) from None

    # -- callbacks (pjsua2 thread) -------------------------------------------------
    def on_incoming(self, account: PjAccount, call_id: int, whole_msg: str, source: str) -> None:
        if not self.trusted.allows(source):
            admission.refuse_untrusted(self, account, call_id, source)
            return
        call = PjCall(account, self.new_id("in"), self, call_id)
        self.register(call)
        info = call.getInfo()
        request_line = whole_msg.split("\r\n", 1)[0].split(" ")
        request_uri = request_line[1] if len(request_line) > 2 else info.localUri
        self.emit(
            IncomingSignal(
                call.session_id, info.remoteUri, info.localUri, request_uri, info.callIdString,
                source, extension_headers(whole_msg),
            )
        )
        prm = pj.CallOpParam()
        prm.statusCode = 180
        call.answer(prm)

    def on_call_state(self, call: PjCall) -> None:
        info = call.getInfo()
        state = STATE_NAMES.get(info.state, "unknown")
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.release_session(call.session_id)
        self.emit(StateSignal(call.session_id, state, info.lastStatusCode, info.lastReason))

    def on_media_state(self, call: PjCall) -> None:
        status = audio_status(call)
        self.clock.run()  # the call's bridge port was added, replaced or removed
        if status in WITH_PORT:  # the port may be new: a player left on the old one
            apply_links(self.calls, self.media, call.session_id)  # would never end
        self.emit(
            MediaSignal(
                call.session_id,
                active=status == pj.PJSUA_CALL_MEDIA_ACTIVE,
                local_hold=status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD,
                remote_hold=status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
            )
        )

    def on_dtmf(self, call: PjCall, digit: str, method: str) -> None:
        self.emit(DtmfSignal(call.session_id, digit, method))

    def on_transfer_request(self, call: PjCall, target: str) -> tuple[int, PjCall | None]:
        return admission.transfer_request(self, call, target)

    def on_tsx_state(self, call: PjCall, tsx: pj.SipTransaction) -> None:
        admission.track_invite(self, call, tsx)

    def on_replaced(self, call: PjCall, new_call_id: int) -> PjCall:
        """Attended transfer, receiving end: a new Call object for the new leg.

        Without it pjsua2 routes both legs' callbacks to the old object, whose
        DISCONNECTED would drop the only reference to the new call.
        """
        new = PjCall(call.account, self.new_id("repl"), self, new_call_id)
        self.register(new)
        info = new.getInfo()
        self.emit(ReplacedSignal(new.session_id, call.session_id, info.remoteUri))
        return new

    def on_transfer_status(self, call: PjCall, status: int, reason: str, final: bool) -> None:
        self.emit(TransferStatusSignal(call.session_id, status, reason, final))

    # -- release -------------------------------------------------------------------
    def release_session(self, session_id: str) -> None:
        """Free a session's media and drop its Call (called at DISCONNECTED)."""
        media = self.media.pop(session_id, None)
        if media is not None:
            for peer in media.bridged:
                peer_media = self.media.get(peer)
                if peer_media is not None:
                    peer_media.bridged.discard(session_id)
            for pid in list(media.players):
                self.release_player(session_id, pid, stopped=True, media=media)
            for rid in list(media.recorders):
                self.release_recorder(session_id, rid, media=media)
            media.taps.clear()
        self.calls.pop(session_id, None)
        self.refer_rules.pop(session_id, None)
        self.unanswered_invites.pop(session_id, None)
        self.clock.run()  # ticks to apply the removal of the call's ports

    def release_player(
        self, session_id: str, pid: str, stopped: bool, media: SessionMedia | None = None
    ) -> None:
        media = media or self.media.get(session_id)
        player = media.players.pop(pid, None) if media is not None else None
        if player is None:
            return
        self.graveyard.keep(player)  # its onEof2 may still be running on ev_thread
        del player
        self.emit(PlaybackSignal(session_id, pid, stopped))

    def release_recorder(
        self, session_id: str, rid: str, media: SessionMedia | None = None
    ) -> None:
        media = media or self.media.get(session_id)
        entry = media.recorders.pop(rid, None) if media is not None else None
        if entry is None:
            return
        recorder, path = entry
        del entry, recorder  # last reference: the destructor queues the port's removal
        self.clock.flush()  # the tick that removes the port writes the WAV header
        wait_wav_closed(path)
        self.emit(RecordingSignal(session_id, rid, path))

    def release_all(self) -> None:
        """Shutdown: free every session's media and drop every Call."""
        for session_id in list(self.calls):
            self.release_session(session_id)
        self.calls.clear()
        self.media.clear()
