"""Early media on real SIP: an engine peer sends 183 with SDP, its prompt's RTP reaches
the caller's SDP port before any 200 OK, and the 200 later answers on the same media
session; a CANCEL during early media ends the call with its players freed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.engine.support import PeerProcess, write_tone
from tests.support.rtp_caller import RtpCaller

pytestmark = pytest.mark.timeout(60)
EARLY_PACKETS = 25  # half a second of 20 ms packets carrying the tone, not silence


@pytest.fixture
def service(spawn_peer: Callable[..., PeerProcess]) -> PeerProcess:
    """An engine that leaves every call ringing: the test sends 183, 200 or an error."""
    return spawn_peer("service", handler="defer")


@pytest.fixture
def caller(service: PeerProcess) -> Iterator[RtpCaller]:
    caller = RtpCaller(service.sip_port)
    yield caller
    caller.close()


def _early(service: PeerProcess, caller: RtpCaller, tone: Path, loop: bool) -> str:
    """INVITE, 180, then 183 with SDP and a prompt playing; returns the session id."""
    caller.invite()
    sid: str = service.event("IncomingCallReceived")["session_id"]
    caller.until(180)
    service.call("progress_call", sid)
    progress = caller.until(183)
    assert "m=audio" in progress.text and "application/sdp" in progress.text.lower()
    service.call("play", sid, str(tone), loop)
    return sid


def _audio_port(text: str) -> str:
    found = re.search(r"m=audio (\d+)", text)
    assert found is not None, text
    return found.group(1)


def test_prompt_rtp_reaches_the_caller_before_the_200_which_keeps_the_media(
        service: PeerProcess, caller: RtpCaller, tmp_path: Path) -> None:
    sid = _early(service, caller, write_tone(tmp_path / "tone.wav", seconds=3.0), loop=False)
    assert caller.sound_until(EARLY_PACKETS) >= EARLY_PACKETS
    assert [r.status for r in caller.replies if r.status >= 200] == []  # still unanswered
    assert service.request("state", session=sid)["state"] == "early_media"
    service.call("accept_call", sid)
    ok = caller.until(200)
    assert ok.status == 200
    assert caller.sound_at[200] >= EARLY_PACKETS  # heard before the 200 arrived
    assert _audio_port(ok.text) == _audio_port(caller.replies[-2].text)  # the 183's port
    caller.ack()
    service.event("CallStateChanged", session_id=sid, new_state="active")
    before = caller.voiced
    assert caller.sound_until(before + 10) >= before + 10  # the same prompt goes on
    caller.bye()
    caller.until(200, method="BYE")
    assert service.event("CallEnded", session_id=sid)["status"] == 200


def test_cancel_during_early_media_ends_the_call_and_frees_its_player(
        service: PeerProcess, caller: RtpCaller, tmp_path: Path) -> None:
    sid = _early(service, caller, write_tone(tmp_path / "music.wav"), loop=True)
    assert caller.sound_until(EARLY_PACKETS) >= EARLY_PACKETS
    assert service.request("live_objects")["players"] == 1
    caller.cancel()
    assert caller.until(200, method="CANCEL").status == 200
    assert caller.until(487).status == 487
    caller.ack()
    assert service.event("CallEnded", session_id=sid)["status"] == 487
    live = service.request("live_objects")
    live.pop("bridge_ports")
    assert live == {"sessions": 0, "calls": 0, "players": 0, "recorders": 0, "taps": 0}


def test_early_media_refused_later_gets_a_final_error_not_a_200(
        service: PeerProcess, caller: RtpCaller, tmp_path: Path) -> None:
    sid = _early(service, caller, write_tone(tmp_path / "tone.wav"), loop=False)
    assert caller.sound_until(EARLY_PACKETS) >= EARLY_PACKETS
    service.call("reject_call", sid, 480, "Temporarily Unavailable")
    assert caller.until(480).status == 480
    caller.ack()
    assert service.event("CallEnded", session_id=sid)["status"] == 480
    assert not any(200 <= r.status < 300 for r in caller.replies)


def test_an_rfc2833_digit_sent_during_early_media_reaches_the_engine(
        service: PeerProcess, caller: RtpCaller, tmp_path: Path) -> None:
    """Whether it arrives depends on the caller sending RTP before the 200: this one does."""
    sid = _early(service, caller, write_tone(tmp_path / "tone.wav"), loop=False)
    caller.send_digit(5, caller.replies[-1].text)
    digit = service.event("DtmfReceived", session_id=sid)
    assert (digit["digit"], digit["method"]) == ("5", "rfc2833")
    assert service.request("state", session=sid)["state"] == "early_media"
    service.call("reject_call", sid, 480, "Temporarily Unavailable")
    caller.until(480)
    caller.ack()
