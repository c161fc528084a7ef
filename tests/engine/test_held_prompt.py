"""A prompt played to a call we hold (music on hold from our side: we send, sendonly) is
heard by the far end and ends: the held call's bridge port is replaced by the re-INVITE,
and its players must be linked to the new one (issue 15: a player the bridge does not
pull never reports its end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.support import write_tone
from tests.engine.test_sip_calls import connect

pytestmark = pytest.mark.timeout(60)


def test_a_prompt_to_a_call_we_hold_is_heard_and_ends(pair, tmp_path: Path):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    alice.call("hold", a_id)
    bob.event("HoldChanged", session_id=b_id, remote_hold=True)
    pid = alice.call("play", a_id, str(write_tone(tmp_path / "moh.wav", 350.0, seconds=1.0)))
    assert bob.request("listen", session=b_id, seconds=0.5, settle=0.3)["rms"] > 1000
    finished = alice.event("PlaybackFinished", session_id=a_id, timeout=5)
    assert (finished["playback_id"], finished["stopped"]) == (pid, False)
    alice.call("terminate", a_id)


def test_a_prompt_playing_when_we_hold_the_call_goes_on_and_ends(pair, tmp_path: Path):
    alice, bob = pair
    a_id, b_id = connect(alice, bob)
    pid = alice.call("play", a_id, str(write_tone(tmp_path / "moh.wav", 350.0, seconds=2.0)))
    alice.call("hold", a_id)
    bob.event("HoldChanged", session_id=b_id, remote_hold=True)
    assert bob.request("listen", session=b_id, seconds=0.5, settle=0.3)["rms"] > 1000
    finished = alice.event("PlaybackFinished", session_id=a_id, timeout=5)
    assert (finished["playback_id"], finished["stopped"]) == (pid, False)
    alice.call("terminate", a_id)


def test_a_bridged_call_we_hold_hears_our_music_and_not_its_peer(spawn_peer, tmp_path: Path):
    alice, bob, carol = spawn_peer("alice"), spawn_peer("bob"), spawn_peer("carol")
    a_id, b_in = connect(alice, bob)
    b_out = bob.request("make_call", to=carol.uri)
    bob.request("wait_answer", session=b_out)
    c_id = carol.event("IncomingCallReceived")["session_id"]
    bob.call("bridge", b_in, b_out)
    alice.call("play", a_id, str(write_tone(tmp_path / "voice.wav", seconds=6.0)))
    assert carol.request("listen", session=c_id, seconds=0.5)["rms"] > 1000
    bob.call("hold", b_out)
    carol.event("HoldChanged", session_id=c_id, remote_hold=True)
    assert carol.request("listen", session=c_id, seconds=0.5, settle=0.4)["rms"] < 50
    pid = bob.call("play", b_out, str(write_tone(tmp_path / "moh.wav", 350.0, seconds=1.0)))
    assert carol.request("listen", session=c_id, seconds=0.5, settle=0.3)["rms"] > 1000
    assert bob.event("PlaybackFinished", session_id=b_out, timeout=5)["playback_id"] == pid
    alice.call("terminate", a_id)
    carol.call("terminate", c_id)
