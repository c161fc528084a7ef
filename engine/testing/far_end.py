"""The far end of in-memory calls: what a test does as the caller (or a dialled party).

Why a separate object from the stack: the stack is the engine's side of the wire;
a test acting through it would blur which side did what. Each method is one
thing a phone or a peer does; its consequences reach the engine as signals.
"""

from __future__ import annotations

import itertools

from engine import signals as sig
from engine.testing.wire import Leg, Wire

FRAME_BYTES = 320  # 20 ms of 8 kHz 16-bit mono PCM, as the real taps deliver


class FarEnd:
    """The callers and the parties the engine dials."""

    def __init__(self, wire: Wire) -> None:
        self._wire = wire
        self._ids = itertools.count(1)

    def offer_call(
        self, from_uri: str, to_uri: str, request_uri: str = "", sip_call_id: str = "",
        source: str = "127.0.0.1:5060", headers: tuple[tuple[str, str], ...] = (),
    ) -> str:
        """An INVITE from ``from_uri``; the stack rings (180) at once. Returns its session id."""
        sid = f"in-{next(self._ids)}"
        self._wire.legs[sid] = Leg(sid, "inbound", from_uri)
        call_id = sip_call_id or f"{sid}@memory"
        self._wire.emit(sig.IncomingSignal(
            sid, from_uri, to_uri, request_uri or to_uri, call_id, source, headers))
        self._wire.emit(sig.StateSignal(sid, "early", 180, "Ringing"))
        return sid

    def press(self, session_id: str, digits: str, method: str = "rfc2833") -> None:
        """DTMF digits, one signal each."""
        for digit in digits:
            self._wire.emit(sig.DtmfSignal(session_id, digit, method))

    def speak(self, session_id: str, pcm: bytes) -> None:
        """Audio (8 kHz 16-bit mono): to every tap in 20 ms frames, into every recording."""
        leg = self._wire.legs[session_id]
        for _path, audio in leg.recordings.values():
            audio.extend(pcm)
        for start in range(0, len(pcm), FRAME_BYTES):
            frame = pcm[start : start + FRAME_BYTES]
            for tap_id in sorted(leg.taps):
                self._wire.emit(sig.AudioFrameSignal(session_id, tap_id, frame))

    def hang_up(self, session_id: str) -> None:
        """BYE when connected, CANCEL (487) while ringing or in early media; nothing
        once ended."""
        leg = self._wire.legs[session_id]
        if leg.state == "connected":
            self._wire.end(leg, "far end", 200, "Normal call clearing")
        elif leg.state in ("ringing", "early"):
            self._wire.end(leg, "far end", 487, "Request Terminated")

    def pick_up(self, session_id: str) -> None:
        """A ringing leg the engine dialled answers."""
        self._wire.connect(self._wire.legs[session_id], 200, "OK")

    def refuse(self, session_id: str, status: int = 486, reason: str = "Busy Here") -> None:
        """A ringing leg the engine dialled refuses with a final 4xx-6xx."""
        self._wire.end(self._wire.legs[session_id], "far end", status, reason)

    def go_silent(self, session_id: str) -> None:
        """Stop sending RTP (the engine's media watchdog should notice)."""
        self._wire.legs[session_id].rtp_flowing = False

    def hold(self, session_id: str) -> None:
        """Put the engine on hold (re-INVITE, a=sendonly): the engine sees remote hold."""
        self._wire.emit(sig.MediaSignal(session_id, False, False, True))

    def refer(self, session_id: str, target_uri: str) -> int:
        """A REFER; returns what the engine's rule answered (603 without a rule). On 202
        the engine's new leg to ``target_uri`` is dialled like any other."""
        leg = self._wire.legs[session_id]
        status = leg.refer_rule(target_uri) if leg.refer_rule else 603
        if status == 202:
            new = Leg(f"xfer-{next(self._ids)}", "outbound", target_uri)
            self._wire.emit(sig.TransferredSignal(new.session_id, session_id, target_uri))
            self._wire.dial(new)
        return status

    def transfer_result(self, session_id: str, status: int, reason: str = "") -> None:
        """The final NOTIFY of a transfer the engine asked for (see ``transfer_status``)."""
        self._wire.transfer_result(session_id, status, reason)

    def end_prompts(self, session_id: str) -> None:
        """Every prompt playing on the call reaches its end (``finish_prompts=False``)."""
        leg = self._wire.legs[session_id]
        for pid in list(leg.prompts):
            self._wire.stop_prompt(leg, pid, stopped=False)
