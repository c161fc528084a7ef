"""SRTP keyed by SDES (RFC 4568): the wheel's libsrtp encrypts real calls, a mandatory
end refuses plain RTP, and the answer on the wire carries the keys it chose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dialplan.live.process import RequestFailed
from tests.engine.sipp import rejected_call, run_sipp, savp_call_answered_with_keys
from tests.engine.support import PeerProcess, free_port_block, wav_rms, write_tone

pytestmark = pytest.mark.timeout(60)

def test_two_mandatory_ends_talk_and_hear_each_other(
    spawn_peer: Callable[..., PeerProcess], tmp_path: Path
):
    alice = spawn_peer("alice", srtp="mandatory")
    bob = spawn_peer("bob", srtp="mandatory")
    a_id = alice.request("make_call", to=bob.uri)
    alice.request("wait_answer", session=a_id, timeout=10)
    b_id = bob.event("IncomingCallReceived")["session_id"]
    rec = bob.call("record", b_id, str(tmp_path / "heard.wav"))
    alice.call("play", a_id, str(write_tone(tmp_path / "tone.wav", seconds=1.5)))
    alice.event("PlaybackFinished", session_id=a_id, timeout=8)
    bob.call("stop_recording", b_id, rec)
    bob.event("RecordingFinished", recording_id=rec)
    energy, seconds = wav_rms(tmp_path / "heard.wav")
    assert seconds > 1.0 and energy > 1000, f"rms {energy:.0f} over {seconds:.1f} s"
    alice.call("terminate", a_id)


def test_a_plain_rtp_caller_is_refused_by_a_mandatory_end(
    spawn_peer: Callable[..., PeerProcess], tmp_path: Path
):
    secure = spawn_peer("secure", srtp="mandatory")
    result = run_sipp(rejected_call(488), tmp_path, secure.sip_port, free_port_block(1),
                      free_port_block(4), timeout=15)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_a_plain_end_cannot_place_a_call_to_a_mandatory_one(
    spawn_peer: Callable[..., PeerProcess]
):
    plain = spawn_peer("plain", srtp="off")
    secure = spawn_peer("secure", srtp="mandatory")
    a_id = plain.request("make_call", to=secure.uri)
    with pytest.raises(RequestFailed):
        plain.request("wait_answer", session=a_id, timeout=10)


def test_an_optional_end_answers_an_sdes_offer_with_its_own_keys(
    spawn_peer: Callable[..., PeerProcess], tmp_path: Path
):
    optional = spawn_peer("optional", srtp="optional")
    result = run_sipp(savp_call_answered_with_keys(), tmp_path, optional.sip_port,
                      free_port_block(1), free_port_block(4), timeout=15)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
