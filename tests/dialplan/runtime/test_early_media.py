"""`progress` on a real `dialplan serve` process: the caller gets 183 with SDP and the
prompt's RTP at its SDP port before any 200 OK; `answer` then sends the 200; a flow
that hangs up without answering gives a final error; a CANCEL during early media ends
the call and leaves nothing behind."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.support.harness import Server, serving
from tests.support.rtp_caller import RtpCaller

pytestmark = pytest.mark.timeout(90)

PLAN = """route 100 -> connects
route 101 -> closed
route 102 -> lingers
flow connects {
  start:
    progress
    say "Please hold while we connect you."
    answer
    say "Connected."
    hangup
}
flow closed {
  start:
    progress
    say "We are closed today. Goodbye."
    hangup cause busy
}
flow lingers {
  start:
    progress
    play "hold_music"
    wait 60s
    answer
    hangup
}
"""
SETTINGS = "unanswered_timeout = 5\n"  # above the prompts' 2 s
EARLY_PACKETS = 25  # half a second of the prompt's 20 ms packets


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("early-media")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(PLAN)
    with serving(folder, workdir, settings=SETTINGS) as running:
        yield running


def _call(server: Server, number: str) -> RtpCaller:
    caller = RtpCaller(server.sip_port, number)
    caller.invite()
    progress = caller.until(183)
    assert "m=audio" in progress.text, progress.text
    return caller


def test_progress_plays_the_prompt_before_the_200_then_answers(server: Server) -> None:
    caller = _call(server, "100")
    try:
        ok = caller.until(200, timeout=20)
        assert ok.status == 200
        assert caller.sound_at[200] >= EARLY_PACKETS, caller.sound_at  # heard before it
        sdp_ports = {re.findall(r"m=audio (\d+)", r.text)[0] for r in caller.replies
                     if r.status in (183, 200)}
        assert len(sdp_ports) == 1  # the 200 answers on the 183's media session
        caller.ack()
        caller.until_request("BYE", timeout=20)  # "Connected.", then the flow hangs up
        server.wait_calls(0)
    finally:
        caller.close()


def test_progress_then_hangup_without_answer_gives_a_final_error(server: Server) -> None:
    caller = _call(server, "101")
    try:
        final = caller.until(486, timeout=20)
        assert final.status == 486  # `hangup cause busy`: never a 200
        assert caller.sound_at[486] >= EARLY_PACKETS, caller.sound_at
        caller.ack()
        assert not any(200 <= r.status < 300 for r in caller.replies)
    finally:
        caller.close()


def test_cancel_during_early_media_ends_the_call_cleanly(server: Server) -> None:
    caller = _call(server, "101")
    try:
        assert caller.sound_until(EARLY_PACKETS) >= EARLY_PACKETS
        caller.cancel()
        assert caller.until(487).status == 487
        caller.ack()
        server.wait_calls(0)
        assert "Assertion" not in server.log_text()
    finally:
        caller.close()


def test_a_bye_from_the_caller_during_early_media_ends_the_call(server: Server) -> None:
    """RFC 3261 lets a caller BYE an early dialog: 200 for the BYE, 487 for the INVITE."""
    caller = _call(server, "102")
    try:
        assert caller.sound_until(EARLY_PACKETS) >= EARLY_PACKETS
        caller.bye()
        assert caller.until(487).status == 487
        caller.ack()
        server.wait_calls(0)
        assert "Assertion" not in server.log_text()
    finally:
        caller.close()


def test_a_flow_lingering_in_early_media_is_refused_at_the_unanswered_timeout(
        server: Server) -> None:
    """Early media is not a way to hold a call slot unbilled: 480 after 5 s."""
    caller = _call(server, "102")
    try:
        final = caller.until(480, timeout=15)
        assert final.status == 480 and caller.sound_at[480] >= EARLY_PACKETS
        caller.ack()
        server.wait_calls(0)
    finally:
        caller.close()
