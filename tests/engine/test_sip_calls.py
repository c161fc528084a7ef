"""Two engines in two processes, talking real SIP and RTP on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dialplan.live.process import RequestFailed
from tests.engine.support import PeerProcess, wav_rms, write_tone

pytestmark = pytest.mark.timeout(60)


def connect(alice: PeerProcess, bob: PeerProcess) -> tuple[str, str]:
    """Alice calls Bob, Bob auto-answers; returns (alice's id, bob's id)."""
    a_id = alice.request("make_call", to=bob.uri)
    alice.request("wait_answer", session=a_id, timeout=10)
    b_id = bob.event("IncomingCallReceived")["session_id"]
    bob.event("CallStateChanged", session_id=b_id, new_state="active")
    return a_id, b_id


def test_call_is_answered_and_bye_from_caller_ends_both(pair):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    assert alice.request("state", session=a_id)["state"] == "active"
    alice.call("terminate", a_id)
    assert bob.event("CallEnded", session_id=b_id)["session_id"] == b_id
    alice.event("CallEnded", session_id=a_id)
    live = alice.request("live_objects")
    assert live.pop("bridge_ports") <= 1  # removal runs on the next bridge clock tick
    assert live == {"sessions": 0, "calls": 0, "players": 0, "recorders": 0, "taps": 0}
    assert alice.stop() == 0
    assert bob.stop() == 0


def test_bye_from_callee_ends_caller_session(pair):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    bob.call("terminate", b_id)
    ended = alice.event("CallEnded", session_id=a_id)
    assert ended["session_id"] == a_id
    assert alice.request("state", session=a_id)["state"] == "gone"


def test_audio_flows_both_ways_and_recordings_hold_the_tone(pair, tmp_path: Path):
    alice, bob = pair
    tone_a = write_tone(tmp_path / "a.wav", 440.0)
    tone_b = write_tone(tmp_path / "b.wav", 660.0)
    a_id, b_id = connect(alice, bob)
    rec_a = alice.call("record", a_id, str(tmp_path / "heard_by_alice.wav"))
    rec_b = bob.call("record", b_id, str(tmp_path / "heard_by_bob.wav"))
    alice.call("play", a_id, str(tone_a))
    pb = bob.call("play", b_id, str(tone_b))
    assert bob.event("PlaybackFinished", session_id=b_id, timeout=8)["playback_id"] == pb
    alice.event("PlaybackFinished", session_id=a_id, timeout=8)
    alice.call("stop_recording", a_id, rec_a)
    bob.call("stop_recording", b_id, rec_b)
    assert alice.event("RecordingFinished", recording_id=rec_a)["path"].endswith("alice.wav")
    bob.event("RecordingFinished", recording_id=rec_b)
    for name in ("heard_by_alice.wav", "heard_by_bob.wav"):
        energy, seconds = wav_rms(tmp_path / name)
        assert seconds > 1.0, name
        assert energy > 1000, f"{name}: rms {energy:.0f}"
    alice.call("terminate", a_id)


def test_recording_is_closed_when_the_far_end_hangs_up(pair, tmp_path: Path):
    alice, bob = pair
    tone = write_tone(tmp_path / "t.wav", seconds=5.0)
    a_id, b_id = connect(alice, bob)
    rec = bob.call("record", b_id, str(tmp_path / "cut.wav"))
    alice.call("play", a_id, str(tone))
    alice.request("state", session=a_id)  # round trip
    time.sleep(1.0)  # the behaviour: a call that talks a second, then the far end hangs up
    alice.call("terminate", a_id)
    assert bob.event("RecordingFinished", recording_id=rec)["session_id"] == b_id
    energy, seconds = wav_rms(tmp_path / "cut.wav")  # a valid WAV: header written
    assert seconds > 0.5 and energy > 1000


@pytest.mark.parametrize("method", ["rfc2833", "sip_info"])
def test_dtmf_both_ways(pair, method: str):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    alice.call("send_dtmf", a_id, "1#", method)
    got = [bob.event("DtmfReceived", session_id=b_id)["digit"] for _ in range(2)]
    assert got == ["1", "#"]
    bob.call("send_dtmf", b_id, "9*", method)
    back = [alice.event("DtmfReceived", session_id=a_id) for _ in range(2)]
    assert [e["digit"] for e in back] == ["9", "*"]
    assert {e["method"] for e in back} == {method}
    alice.call("terminate", a_id)


def test_hold_and_resume_are_seen_by_the_other_side(pair):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    alice.call("hold", a_id)
    assert alice.request("state", session=a_id)["state"] == "on_hold"
    bob.event("HoldChanged", session_id=b_id, remote_hold=True)
    assert bob.request("state", session=b_id)["remote_hold"] is True
    alice.call("resume", a_id)
    bob.event("HoldChanged", session_id=b_id, remote_hold=False)
    assert alice.request("state", session=a_id)["state"] == "active"
    alice.call("terminate", a_id)


@pytest.mark.parametrize(
    ("status", "error"), [(486, "CallBusy"), (404, "CallNotFound"), (503, "ServiceUnavailable")]
)
def test_rejected_call_raises_typed_error_with_status(spawn_peer, status, error):
    alice = spawn_peer("alice")
    bob = spawn_peer("bob", handler=f"reject:{status}")
    a_id = alice.request("make_call", to=bob.uri)
    with pytest.raises(RequestFailed) as err:
        alice.request("wait_answer", session=a_id, timeout=10)
    assert (err.value.kind, err.value.status) == (error, status)
    assert bob.event("CallEnded")["status"] == status


def test_unanswered_call_times_out_and_the_callee_sees_487(spawn_peer):
    alice = spawn_peer("alice")
    bob = spawn_peer("bob", handler="queue:3")
    a_id = alice.request("make_call", to=bob.uri)
    with pytest.raises(RequestFailed) as err:
        alice.request("wait_answer", session=a_id, timeout=1)
    assert (err.value.kind, err.value.status) == ("CallTimeout", 408)
    assert bob.event("CallEnded")["status"] == 487
    assert alice.event("CallEnded", session_id=a_id)["status"] == 487


def test_call_to_a_silent_port_times_out_with_typed_error(spawn_peer):
    from tests.engine.support import free_port_block

    alice = spawn_peer("alice")
    nobody = free_port_block(1)
    a_id = alice.request("make_call", to=f"sip:nobody@127.0.0.1:{nobody}")
    with pytest.raises(RequestFailed) as err:
        alice.request("wait_answer", session=a_id, timeout=2)
    assert (err.value.kind, err.value.status) == ("CallTimeout", 408)
    assert alice.stop() == 0


def test_blind_transfer_moves_the_caller_to_a_third_engine(spawn_peer):
    alice, bob, carol = spawn_peer("alice"), spawn_peer("bob"), spawn_peer("carol")
    a_id, b_id = connect(alice, bob)
    alice.request("accept_refer", session=a_id)
    bob.call("transfer", b_id, carol.uri)
    new = alice.event("CallTransferred", parent_session_id=a_id)
    carol.event("IncomingCallReceived")
    alice.event("CallStateChanged", session_id=new["session_id"], new_state="active")
    final = bob.event("TransferStatus", session_id=b_id, final=True)
    assert 200 <= final["status"] < 300
    bob.event("CallEnded", session_id=b_id)
    alice.event("CallEnded", session_id=a_id)
    alice.call("terminate", new["session_id"])


def test_received_audio_streams_to_a_consumer(pair, tmp_path: Path):
    alice, bob = pair
    tone = write_tone(tmp_path / "t.wav", seconds=3.0)
    a_id, b_id = connect(alice, bob)
    alice.call("play", a_id, str(tone))
    heard = bob.request("listen", session=b_id, seconds=1.0)
    assert heard["frames"] >= 30  # 50 frames/s of 20 ms
    assert heard["rms"] > 1000


def test_mute_silences_what_the_far_end_hears(pair, tmp_path: Path):
    alice, bob = pair
    tone = write_tone(tmp_path / "t.wav", seconds=4.0)
    a_id, b_id = connect(alice, bob)
    alice.call("play", a_id, str(tone))
    alice.call("mute", a_id)
    assert bob.request("listen", session=b_id, seconds=0.6, settle=0.4)["rms"] < 50
    alice.call("unmute", a_id)
    assert bob.request("listen", session=b_id, seconds=0.6)["rms"] > 1000


def test_bridge_carries_audio_between_two_calls_of_one_engine(spawn_peer, tmp_path: Path):
    alice, bob, carol = spawn_peer("alice"), spawn_peer("bob"), spawn_peer("carol")
    tone = write_tone(tmp_path / "t.wav", seconds=4.0)
    a_id, b_in = connect(alice, bob)
    b_out = bob.request("make_call", to=carol.uri)
    bob.request("wait_answer", session=b_out)
    c_id = carol.event("IncomingCallReceived")["session_id"]
    bridge = bob.call("bridge", b_in, b_out)
    alice.call("play", a_id, str(tone))
    assert carol.request("listen", session=c_id, seconds=0.8)["rms"] > 1000
    bob.call("unbridge", bridge["bridge_id"])
    assert carol.request("listen", session=c_id, seconds=0.6, settle=0.4)["rms"] < 50
    alice.call("terminate", a_id)
    carol.call("terminate", c_id)


def test_far_end_that_vanishes_is_hung_up_after_the_media_timeout(spawn_peer):
    alice = spawn_peer("alice")
    bob = spawn_peer("bob", media_timeout=1.0)
    _a_id, b_id = connect(alice, bob)
    alice.kill()  # no BYE, RTP stops
    ended = bob.event("CallEnded", session_id=b_id, timeout=6)
    assert ended["session_id"] == b_id
    assert bob.request("live_objects")["calls"] == 0


def test_attended_transfer_replaces_the_consultation_call(spawn_peer, tmp_path: Path):
    alice, bob, carol = spawn_peer("alice"), spawn_peer("bob"), spawn_peer("carol")
    a_id, b_in = connect(alice, bob)
    alice.request("accept_refer", session=a_id)
    b_out = bob.request("make_call", to=carol.uri)
    bob.request("wait_answer", session=b_out)
    c_old = carol.event("IncomingCallReceived")["session_id"]
    carol.event("CallStateChanged", session_id=c_old, new_state="active")
    bob.call("transfer_attended", b_in, b_out)
    replaced = carol.event("CallReplaced", replaced_session_id=c_old)
    c_new = replaced["session_id"]
    carol.event("CallStateChanged", session_id=c_new, new_state="active")
    carol.event("CallEnded", session_id=c_old)
    a_new = alice.event("CallTransferred", parent_session_id=a_id)["session_id"]
    alice.event("CallStateChanged", session_id=a_new, new_state="active")
    bob.event("CallEnded", session_id=b_in)
    bob.event("CallEnded", session_id=b_out)
    alice.call("play", a_new, str(write_tone(tmp_path / "t.wav", seconds=3.0)))
    assert carol.request("listen", session=c_new, seconds=0.8, settle=0.2)["rms"] > 1000
    alice.call("terminate", a_new)
    carol.event("CallEnded", session_id=c_new)


def test_a_refer_is_refused_unless_the_session_accepts_it(spawn_peer):
    alice, bob, carol = spawn_peer("alice"), spawn_peer("bob"), spawn_peer("carol")
    a_id, b_id = connect(alice, bob)
    bob.call("transfer", b_id, carol.uri)
    final = bob.event("TransferStatus", session_id=b_id, final=True)
    assert final["status"] == 603
    assert alice.request("live_objects")["calls"] == 1  # no leg was placed
    alice.call("terminate", a_id)
    bob.event("CallEnded", session_id=b_id)
    assert alice.stop() == 0


def test_looping_hold_music_plays_until_stopped(pair, tmp_path: Path):
    alice, bob = pair
    music = write_tone(tmp_path / "music.wav", 350.0, seconds=0.4)
    a_id, b_id = connect(alice, bob)
    pid = alice.call("play", a_id, str(music), True)
    assert bob.request("listen", session=b_id, seconds=0.6, settle=0.6)["rms"] > 1000
    alice.call("stop_playback", a_id, pid)
    finished = alice.event("PlaybackFinished", session_id=a_id)
    assert (finished["playback_id"], finished["stopped"]) == (pid, True)
    alice.call("terminate", a_id)


def test_reserved_slot_is_kept_for_priority_calls(spawn_peer):
    alice = spawn_peer("alice")
    bob = spawn_peer("bob", max_sessions=2, reserved=1)
    first = alice.request("make_call", to=bob.uri)
    alice.request("wait_answer", session=first)
    second = alice.request("make_call", to=bob.uri)
    with pytest.raises(RequestFailed) as err:
        alice.request("wait_answer", session=second)
    assert (err.value.kind, err.value.status) == ("ServiceUnavailable", 503)
    urgent = alice.request("make_call", to=f"sip:911@127.0.0.1:{bob.sip_port}")
    alice.request("wait_answer", session=urgent)
    alice.call("terminate", first)
    alice.call("terminate", urgent)


def test_a_busy_sip_port_fails_start_with_a_typed_error(spawn_peer):
    alice = spawn_peer("alice")
    from tests.engine.support import PeerProcess

    clash = PeerProcess("clash")
    clash.sip_port = alice.sip_port
    try:
        with pytest.raises(RequestFailed) as err:
            clash.start()
        assert err.value.kind == "OperationFailed"
        assert "in use" in str(err.value)
    finally:
        assert clash.stop(10) == 0  # a peer whose engine failed to start still ends cleanly


def test_recording_is_closed_when_the_engine_stops_mid_call(pair, tmp_path: Path):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    bob.call("record", b_id, str(tmp_path / "stopped.wav"))
    alice.call("play", a_id, str(write_tone(tmp_path / "t.wav", seconds=5.0)))
    bob.request("listen", session=b_id, seconds=0.8)  # let the tone reach the recorder
    assert bob.stop() == 0  # graceful stop hangs up and closes the recorder
    energy, seconds = wav_rms(tmp_path / "stopped.wav")
    assert seconds > 0.5 and energy > 1000
    alice.event("CallEnded", session_id=a_id)
