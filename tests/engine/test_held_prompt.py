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
