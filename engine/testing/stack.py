"""MemoryStack: the engine's side of the in-memory wire (the ``Stack`` protocol).

Why it mirrors the adapter's rules rather than just logging calls: the manager's
behaviour depends on them (an operation on an ended call raises
``UnknownSession``, hangup is idempotent, a ringing inbound call hung up without
a status gets 603, a prompt ends with ``PlaybackFinished``, only a prompt played
with a media path up, after 183 or 200, is heard), so tests on this
stack exercise the same paths as real calls do.
"""

from __future__ import annotations

from collections.abc import Callable

from engine import signals as sig
from engine.stack import ReferRule, UnknownSession
from engine.testing.far_end import FarEnd
from engine.testing.wire import DialPolicy, Leg, Wire


class MemoryStack:
    """A ``Stack`` whose calls live in memory; ``far_end`` is the test's side."""

    def __init__(
        self,
        *,
        on_dial: DialPolicy | None = None,
        finish_prompts: bool = True,
        transfer_status: int | None = 200,
        bridge_slots: int = 254,
        sip_port: int = 5060,
    ) -> None:
        self.wire = Wire(on_dial)
        self.far_end = FarEnd(self.wire)
        self.finish_prompts = finish_prompts
        self.transfer_status = transfer_status
        self.bridge_slots = bridge_slots
        self._port = sip_port

    @property
    def sip_port(self) -> int:
        return self._port

    @property
    def bind_address(self) -> str:
        return "127.0.0.1"

    async def start(self, on_signal: Callable[[sig.Signal], None]) -> None:
        self.wire.on_signal = on_signal
        self.wire.running = True

    async def stop(self) -> None:
        """Hang up what is left; its signals still reach the engine (as the adapter's do)."""
        self.wire.running = False
        for leg in self.wire.legs.values():
            if leg.state != "ended":
                self.wire.end(leg, "engine", 200, "Normal call clearing")

    # -- call control ----------------------------------------------------------------
    async def make_call(self, session_id: str, from_uri: str | None, to_uri: str) -> None:
        self.wire.record("dial", session_id, from_uri, to_uri)
        self.wire.dial(Leg(session_id, "outbound", to_uri))

    async def answer(self, session_id: str, status: int = 200, reason: str = "") -> None:
        leg = self._live(session_id)
        self.wire.record("answer", session_id, status, reason)
        if status >= 200:
            leg.response = status
            self.wire.connect(leg, status, reason or "OK")
        elif status == 183 and leg.state == "ringing":
            self.wire.early_media(leg)

    async def hangup(
        self, session_id: str, status: int = 0, reason: str = "", contact: str = ""
    ) -> None:
        leg = self.wire.legs.get(session_id)
        if leg is None or leg.state == "ended":
            return  # idempotent, as on the wire
        self.wire.record("hangup", session_id, status, reason, contact)
        if leg.state == "connected":
            self.wire.end(leg, "engine", 200, "Normal call clearing")
        elif leg.direction == "inbound":
            leg.response = status or 603
            self.wire.end(leg, "engine", leg.response, reason or "Decline")
        else:
            self.wire.end(leg, "engine", 487, "Request Terminated")

    async def hold(self, session_id: str) -> None:
        self._act("hold", session_id)
        self.wire.emit(sig.MediaSignal(session_id, False, True, False))

    async def resume(self, session_id: str) -> None:
        self._act("resume", session_id)
        self.wire.emit(sig.MediaSignal(session_id, True, False, False))

    async def transfer(self, session_id: str, target_uri: str) -> None:
        self._act("transfer", session_id, target_uri)
        self.wire.emit(sig.TransferStatusSignal(session_id, 100, "Trying", False))
        if self.transfer_status is not None:
            self.wire.transfer_result(session_id, self.transfer_status)

    async def allow_refer(self, session_id: str, rule: ReferRule | None) -> None:
        self._act("allow_refer", session_id, rule is not None).refer_rule = rule

    async def transfer_attended(self, session_id: str, other_session_id: str) -> None:
        self._live(other_session_id)
        await self.transfer(session_id, other_session_id)

    async def send_dtmf(self, session_id: str, digits: str, method: str) -> None:
        self._act("dtmf", session_id, digits, method)

    async def rx_packets(self, session_id: str) -> int:
        leg = self.wire.legs.get(session_id)
        if leg is None:
            return 0
        leg.rx_packets += 50 if leg.rtp_flowing else 0
        return leg.rx_packets

    # -- media -----------------------------------------------------------------------
    async def play(self, session_id: str, playback_id: str, path: str, loop: bool) -> None:
        leg = self._act("play", session_id, playback_id, path, loop)
        leg.prompts[playback_id] = path
        if leg.state in ("early", "connected"):  # a media path exists: the far end hears it
            leg.heard.append(path)
        if self.finish_prompts and not loop:
            self.wire.stop_prompt(leg, playback_id, stopped=False)

    async def stop_play(self, session_id: str, playback_id: str) -> None:
        self.wire.record("stop_play", session_id, playback_id)
        if (leg := self.wire.legs.get(session_id)) is not None:
            self.wire.stop_prompt(leg, playback_id, stopped=True)

    async def record(self, session_id: str, recording_id: str, path: str) -> None:
        leg = self._act("record", session_id, recording_id, path)
        leg.recordings[recording_id] = (path, bytearray())

    async def stop_record(self, session_id: str, recording_id: str) -> None:
        self.wire.record("stop_record", session_id, recording_id)
        if (leg := self.wire.legs.get(session_id)) is not None:
            self.wire.close_recording(leg, recording_id)

    async def tap(self, session_id: str, tap_id: str) -> None:
        self._act("tap", session_id, tap_id).taps.add(tap_id)

    async def untap(self, session_id: str, tap_id: str) -> None:
        self.wire.record("untap", session_id, tap_id)
        if (leg := self.wire.legs.get(session_id)) is not None:
            leg.taps.discard(tap_id)

    async def bridge(self, first: str, second: str) -> None:
        self._live(second)
        self._act("bridge", first, second)
        self.wire.bridges.add(frozenset((first, second)))

    async def unbridge(self, first: str, second: str) -> None:
        self.wire.record("unbridge", first, second)
        self.wire.bridges.discard(frozenset((first, second)))

    async def mute(self, session_id: str, muted: bool) -> None:
        self._act("mute", session_id, muted)

    async def bridge_slots_left(self) -> int:
        return self.bridge_slots

    async def live_counts(self) -> dict[str, int]:
        live = [leg for leg in self.wire.legs.values() if leg.state != "ended"]
        return {
            "calls": len(live),
            "players": sum(len(leg.prompts) for leg in live),
            "recorders": sum(len(leg.recordings) for leg in live),
            "taps": sum(len(leg.taps) for leg in live),
        }

    # -- helpers ---------------------------------------------------------------------
    def _live(self, session_id: str) -> Leg:
        leg = self.wire.legs.get(session_id)
        if leg is None or leg.state == "ended":
            raise UnknownSession(session_id)
        return leg

    def _act(self, verb: str, session_id: str, *detail: object) -> Leg:
        """An operation on a live call: check it exists, then note what was asked."""
        leg = self._live(session_id)
        self.wire.record(verb, session_id, *detail)
        return leg
