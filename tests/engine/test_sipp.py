"""SIPp as the caller against the SIP server example and against engine peers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.sipp import answered_call, cancelled_call, rejected_call, run_sipp, start_sipp
from tests.engine.support import ExampleProcess, free_port_block
from tests.support.harness import wait_for

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]


def ServerProcess(*args: str) -> ExampleProcess:
    """The SIP server example on free ports."""
    return ExampleProcess("sip_server.py", *args)


@pytest.fixture
def server() -> Iterator[ExampleProcess]:
    proc = ServerProcess()
    yield proc
    proc.stop()


def sipp_ports() -> tuple[int, int]:
    return free_port_block(1), free_port_block(4)


def test_sipp_call_with_rfc2833_digits_and_bye(server: ExampleProcess, tmp_path: Path):
    local, media = sipp_ports()
    result = run_sipp(answered_call("159"), tmp_path, server.port, local, media)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    server.wait_for("ended")
    digits = [parts[2] for parts in server.lines if parts[0] == "dtmf"]
    assert digits == ["1", "5", "9"]
    assert all(parts[3] == "rfc2833" for parts in server.lines if parts[0] == "dtmf")
    assert server.stop() == 0
    assert server.lines[-1] == ["stopped"]


def test_fifth_concurrent_call_gets_503_while_four_carry_on(
    server: ExampleProcess, tmp_path: Path
):
    local, media = sipp_ports()
    four = start_sipp(
        answered_call("7", hold_ms=2500), tmp_path, server.port, local, media, 4, 4, rate=50
    )
    try:
        server.wait_for("answered", 4)
        local5, media5 = sipp_ports()
        fifth = run_sipp(rejected_call(503), tmp_path, server.port, local5, media5)
        assert fifth.returncode == 0, fifth.stdout[-2000:] + fifth.stderr[-2000:]
        out, err = four.communicate(timeout=30)
        assert four.returncode == 0, out[-2000:] + err[-2000:]
    finally:
        if four.poll() is None:
            four.kill()
            four.wait()
    server.wait_for("ended", 4)
    assert server.count("dtmf") == 4
    assert server.count("answered") == 4


def test_engine_limit_below_the_cap_rejects_with_503(tmp_path: Path):
    server = ServerProcess("--max-calls", "1")
    try:
        local, media = sipp_ports()
        first = start_sipp(answered_call(hold_ms=2000), tmp_path, server.port, local, media, 1, 1)
        server.wait_for("answered")
        local2, media2 = sipp_ports()
        second = run_sipp(rejected_call(503), tmp_path, server.port, local2, media2)
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
        assert first.wait(20) == 0
    finally:
        if first.poll() is None:
            first.kill()
        assert server.stop() == 0


def test_cancel_before_answer_ends_the_ringing_session(spawn_peer, tmp_path: Path):
    peer = spawn_peer("queue", handler="queue:5")
    local, media = sipp_ports()
    result = run_sipp(cancelled_call(), tmp_path, peer.sip_port, local, media)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    ended = peer.event("CallEnded")
    assert ended["status"] == 487
    assert peer.request("live_objects")["calls"] == 0
    assert peer.stop() == 0


def test_a_thousand_calls_leave_nothing_behind(spawn_peer, tmp_path: Path):
    peer = spawn_peer("soak")
    local, media = sipp_ports()
    started = time.monotonic()
    result = run_sipp(
        answered_call(hold_ms=10), tmp_path, peer.sip_port, local, media,
        calls=1000, limit=1, rate=1000, timeout=80,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert time.monotonic() - started < 80
    # everything the engine owns is gone, the calls' bridge slots too (a removal
    # runs on the bridge's next tick)
    def left_nothing() -> bool:
        live = peer.request("live_objects")
        return live.pop("bridge_ports") <= 1 and live == {
            "sessions": 0, "calls": 0, "players": 0, "recorders": 0, "taps": 0}

    wait_for(left_nothing, 5, lambda: str(peer.request("live_objects")))
    assert peer.stop() == 0


def test_a_small_bridge_frees_every_calls_slot(spawn_peer, tmp_path: Path):
    """Twice as many calls as the bridge has slots: each call's slot is freed by the
    bridge's next tick (the pjsua2 thread's own clock). With pjsua2's null sound
    device ticking it, the wheel kept a slot per call after ~32 calls, and the late
    calls were refused with 503 and a restart asked for."""
    peer = spawn_peer("small", bridge_ports=40)
    local, media = sipp_ports()
    result = run_sipp(
        answered_call(hold_ms=10), tmp_path, peer.sip_port, local, media,
        calls=80, limit=1, rate=1000, timeout=40,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert peer.request("health")["needs_restart"] is False
    live = peer.request("live_objects")
    assert live["calls"] == 0 and live["bridge_ports"] <= 1  # removal runs on the next tick
    assert peer.stop() == 0
