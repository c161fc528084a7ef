"""The bridge clock ticks only while a call needs media: a call that waits in silence
gets no RTP, and digits still travel both ways (real SIP: SIPp and engine peers)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.engine.sipp import run_sipp
from tests.engine.support import ExampleProcess, PeerProcess, free_port_block, write_tone
from tests.support.scenarios import listen_then_press
from tests.support.uas import rtp_listener

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]
TONE_SECONDS = 0.4
SILENT_MS = 2500  # after the answer, before the caller presses its key


def test_a_silent_call_gets_no_rtp_and_its_digit_is_still_heard(tmp_path: Path) -> None:
    tone = write_tone(tmp_path / "tone.wav", seconds=TONE_SECONDS)
    server = ExampleProcess("sip_server.py", "--prompt", str(tone))
    try:
        with rtp_listener() as ear:
            scenario = listen_then_press(ear.port, "#", SILENT_MS)
            started = time.time()
            result = run_sipp(scenario, tmp_path, server.port, free_port_block(1),
                              free_port_block(4), timeout=20)
            ended = time.time()
            packets = list(ear.packets)
        # '#' makes the server hang up: SIPp got that BYE, so the digit was heard
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert [line[2:] for line in server.lines if line[0] == "dtmf"] == [["#", "rfc2833"]]
        assert ended - started > SILENT_MS / 1000
        first = packets[0][0]
        heard = [at for at, kind, _ in packets if kind == 0 and at < first + TONE_SECONDS]
        assert len(heard) >= TONE_SECONDS / 0.02 - 3  # the prompt, 20 ms a packet
        # the prompt's last packets, then nothing until the BYE
        quiet = [at for at, _, _ in packets if at > first + TONE_SECONDS + 0.3]
        assert quiet == [], f"{len(quiet)} packets after the prompt ended"
    finally:
        server.stop()


def test_rfc2833_digits_go_out_after_a_silence(
    pair: tuple[PeerProcess, PeerProcess],
) -> None:
    alice, bob = pair
    a_id = alice.request("make_call", to=bob.uri)
    alice.request("wait_answer", session=a_id, timeout=10)
    b_id = bob.event("IncomingCallReceived")["session_id"]
    bob.event("CallStateChanged", session_id=b_id, new_state="active")
    time.sleep(1.0)  # the behaviour: a second of silence, the bridge clock stopped
    alice.call("send_dtmf", a_id, "42", "rfc2833")
    got = [bob.event("DtmfReceived", session_id=b_id)["digit"] for _ in range(2)]
    assert got == ["4", "2"]
    alice.call("terminate", a_id)
