"""Attacks on one `dialplan serve` process by callers (issue 12, items 1, 3, 5, 7, 12).

A caller's REFER never makes the service dial (unless the plan accepts REFERs, and then
only to `allowed_targets`); a dial to a silent target lets go of its call slot at its
timeout; past capacity the answer is 503 with Retry-After; an INVITE from outside
`trusted_sources` gets 403 and no session; a call its flow does not answer gets a
final response instead of ringing forever; and SIGTERM with legs still ringing exits 0.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.sipp import rejected_call
from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.raw_sip import SDP, Endpoint, request
from tests.support.scenarios import (
    press_then_caller_hangs_up,
    press_then_server_hangs_up,
    refers_then_bye,
)

MAIN = """route 100 -> hold
route 300 -> dial_silent
route 400 -> says_before_answer
route 410 -> stalls
flow hold { start: answer; wait 20s; hangup }
flow dial_silent {
  start:
    answer
    dial "sip:silent@127.0.0.1:{silent}" timeout 2s { noanswer -> hangup }
    hangup
}
flow says_before_answer {
  start:
    dial "sip:far@192.0.2.1" timeout 2s { failed -> say "Nobody answered." }
    hangup
}
flow stalls { start: wait 30s; answer; hangup }
"""
ACCEPTS_REFER = """defaults allow_refer true
route 500 -> hold_refer
flow hold_refer { start: answer; wait 20s; hangup }
"""
SETTINGS = 'trusted_sources = ["127.0.0.1/32"]\nunanswered_timeout = 3\n'


@pytest.fixture(scope="module")
def silent() -> Iterator[Endpoint]:
    """A dial or REFER target that never answers (it only listens)."""
    endpoint = Endpoint()
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, silent: Endpoint) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("attacks-calls")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(MAIN.replace("{silent}", str(silent.address[1])))
    (folder / "refer.dialplan").write_text(ACCEPTS_REFER)
    with serving(folder, workdir, settings=SETTINGS) as running:
        yield running


def _rows(server: Server) -> list[dict[str, str]]:
    rows = server.admin("/calls")
    assert isinstance(rows, list)
    return rows


def test_a_callers_refer_is_refused_and_nothing_is_dialled(server: Server, silent: Endpoint,
                                                         tmp_path: Path) -> None:
    toll = f"sip:toll@127.0.0.1:{silent.address[1]}"  # inside allowed_targets, even
    result = sipp(refers_then_bye([(toll, 603)]), server, "100", tmp_path, timeout=20,
                  extra=["-aa"])
    assert result.returncode == 0, str(result.stdout)[-1500:]
    assert silent.collect(quiet=0.5).lines == [], "the service dialled the REFER target"


def test_a_plan_that_accepts_refer_still_keeps_to_allowed_targets(
        server: Server, silent: Endpoint, tmp_path: Path) -> None:
    toll, ok = "sip:toll@198.51.100.7", f"sip:desk@127.0.0.1:{silent.address[1]}"
    caller = sipp(refers_then_bye([(toll, 403), (ok, 202)], hold_ms=3000), server, "500",
                  tmp_path, timeout=20, background=True, extra=["-aa"])
    assert isinstance(caller, subprocess.Popen)
    invite = silent.collect(quiet=3.0, limit=5.0)
    assert invite.requests[:1] == ["INVITE"], invite.lines
    legs = [r for r in _rows(server) if r.get("leg") == "transfer"]
    assert legs and legs[0]["parent"], _rows(server)  # the placed leg is in /calls
    silent.answer(invite.datagrams[0], "486 Busy Here")
    wait_for(lambda: not [r for r in _rows(server) if r.get("leg")], 5,
             lambda: str(_rows(server)))
    assert caller.wait(timeout=20) == 0, caller.stdout.read() if caller.stdout else ""


def test_a_dial_to_a_silent_target_lets_go_of_its_slot_at_the_timeout(
        server: Server, silent: Endpoint, tmp_path: Path) -> None:
    caller = sipp(press_then_server_hangs_up("", 0), server, "300", tmp_path, timeout=20,
                  background=True)
    assert isinstance(caller, subprocess.Popen)
    wait_for(lambda: any(r.get("leg") == "dial" and r.get("parent") for r in _rows(server)),
             5, lambda: str(_rows(server)))
    seen = time.monotonic()
    wait_for(lambda: not any(r.get("leg") for r in _rows(server)), 6,
             lambda: str(_rows(server)))
    assert time.monotonic() - seen < 4.0  # the 2 s timeout, not pjsip's 32 s Timer B
    assert caller.wait(timeout=20) == 0
    silent.collect(quiet=0.2)
    four = sipp(press_then_caller_hangs_up("", 0, 1000), server, "100", tmp_path, calls=4,
                limit=4, rate=50, timeout=20)
    assert four.returncode == 0, "a slot is still held: " + str(four.stdout)[-1500:]


def test_past_capacity_the_answer_is_503_with_retry_after(server: Server,
                                                          tmp_path: Path) -> None:
    callers = sipp(press_then_caller_hangs_up("", 0, 5000), server, "100", tmp_path,
                   calls=4, limit=4, rate=50, timeout=30, background=True)
    assert isinstance(callers, subprocess.Popen)
    wait_for(lambda: len(_rows(server)) == 4, 10, lambda: str(_rows(server)))
    attacker = Endpoint()
    try:
        invite = request("INVITE", server.sip_port, attacker.address,
                         extra="Content-Type: application/sdp", body=SDP.format(port=9))
        reply = attacker.exchange(invite, server.sip_port)
    finally:
        attacker.close()
    assert reply.statuses == [503], reply.lines
    assert any(h.startswith("Retry-After:") for h in reply.headers), reply.headers
    assert callers.wait(timeout=30) == 0


def test_an_invite_from_an_untrusted_source_gets_403_and_no_session(server: Server) -> None:
    outsider = Endpoint("127.0.0.3")
    try:
        invite = request("INVITE", server.sip_port, outsider.address,
                         extra="Content-Type: application/sdp", body=SDP.format(port=9))
        reply = outsider.exchange(invite, server.sip_port)
        assert _rows(server) == []
    finally:
        outsider.close()
    assert 403 in reply.statuses and 200 not in reply.statuses, reply.lines
    server.wait_for_log("INVITE from untrusted source 127.0.0.3")


@pytest.mark.parametrize("number", ["400", "410"])
def test_a_call_its_flow_does_not_answer_gets_a_final_480(server: Server, tmp_path: Path,
                                                          number: str) -> None:
    """400 says something before answering (after its dial failed), 410 stalls."""
    started = time.monotonic()
    result = sipp(rejected_call(480), server, number, tmp_path, timeout=15)
    assert result.returncode == 0, str(result.stdout)[-1500:]
    assert time.monotonic() - started < 10


def test_sigterm_with_refer_legs_ringing_exits_cleanly(server: Server, silent: Endpoint,
                                                      tmp_path: Path) -> None:
    """The issue's abort: legs a caller's REFERs left (one never placed: no free slot),
    then SIGTERM. Runs last: it stops the module's service."""
    target = f"sip:desk@127.0.0.1:{silent.address[1]}"
    caller = sipp(refers_then_bye([(target, 202)] * 4, hold_ms=8000), server, "500",
                  tmp_path, timeout=20, background=True, extra=["-aa"])
    assert isinstance(caller, subprocess.Popen)
    wait_for(lambda: len([r for r in _rows(server) if r.get("leg") == "transfer"]) == 3, 10,
             lambda: str(_rows(server)))
    server.wait_for_log("not placed: no free call slot")  # the 4th: pjsua was full
    assert server.stop(timeout=20) == 0
    assert "Assertion" not in server.log_text()
    caller.kill()
    caller.wait(timeout=5)
