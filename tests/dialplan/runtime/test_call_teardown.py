"""Call teardown under churn, on real SIP: many short demo calls with audio flowing,
ended by the service's BYE (to callers who pressed a key, and to silent ones), by the
caller's BYE (during a prompt, with or without a digit just pressed) and by CANCEL
while ringing, four at a time in one process.

pjsip 2.15.1 aborted a worker now and then (`pj_ioqueue_sendto` assertion) when its
media clock thread sent a call's RTP while the pjsua2 thread tore that call's media
down. The engine now ticks the conference bridge on the pjsua2 thread itself, so the
service must come through with every call completed, every digit delivered, and no
media clock thread of pjsip's own while calls have audio.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.engine.sipp import answered_call, cancelled_call
from tests.support.harness import ROOT, Server, serving, sipp
from tests.support.plans import call_paths
from tests.support.scenarios import (
    press_then_caller_hangs_up,
    press_then_server_hangs_up,
    silent_until_server_hangs_up,
)

MENU_PLAYING_MS = 3000  # after the welcome, while the menu prompt plays (barge-in)
PLANS = """route 101 -> ringing
route 102 -> quiet
flow ringing {
  start:
    wait 20s
    answer
    hangup
}
flow quiet {
  start:
    answer
    wait 1s
    hangup
}
"""
# Four lanes at once, each one call at a time (a process serves 4): in each lane, runs
# of (scenario, number called, calls, digits pressed per call), one after the other.
LANES = {
    "service hangs up": [(press_then_server_hangs_up("1", MENU_PLAYING_MS), "100", 5, 1)],
    "caller hangs up after a digit": [
        (press_then_caller_hangs_up("1", MENU_PLAYING_MS, 150), "100", 6, 1)],
    "caller hangs up in the welcome, then a silent caller": [
        (answered_call(hold_ms=300), "100", 25, 0), (silent_until_server_hangs_up(), "102", 5, 0)],
    "caller cancels while ringing": [(cancelled_call(), "101", 25, 0)],
}
SILENT_CALLS = 5


def threads(pid: int) -> set[str]:
    """Names of the threads of `pid` and of its children."""
    names = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            names.add((task / "comm").read_text().strip())
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            names |= threads(int(child))
    return names


def run_lane(server: Server, workdir: Path, runs: list[tuple[str, str, int, int]]
             ) -> list[tuple[int, str]]:
    outcome = []
    for scenario, number, calls, _digits in runs:
        done = sipp(scenario, server, number, workdir, calls=calls, rate=10, timeout=50)
        assert isinstance(done, subprocess.CompletedProcess)
        outcome.append((done.returncode, done.stdout[-1500:]))
    return outcome


@pytest.fixture(scope="module")
def storm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict, set]]:
    workdir = tmp_path_factory.mktemp("teardown")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "demo.dialplan").write_text(
        (ROOT / "examples/dialplans/demo.dialplan").read_text())
    (folder / "more.dialplan").write_text(PLANS)
    with serving(folder, workdir) as server:
        seen: set[str] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.1):
                seen.update(threads(server.process.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        with ThreadPoolExecutor(len(LANES)) as pool:
            lanes = {name: pool.submit(run_lane, server, workdir, runs)
                     for name, runs in LANES.items()}
            outcome = {name: lane.result(timeout=120) for name, lane in lanes.items()}
        done.set()
        watcher.join()
        yield server, outcome, seen


def test_every_call_ends_cleanly_however_it_is_torn_down(storm) -> None:  # type: ignore[no-untyped-def]
    server, outcome, _seen = storm
    for name, runs in outcome.items():
        for code, out in runs:
            assert code == 0, f"{name}: SIPp exit {code}\n{out}"
    assert server.process.poll() is None, server.log_text()[-3000:]
    assert "Assertion" not in server.log_text()


def test_every_digit_pressed_reaches_the_flow(storm) -> None:  # type: ignore[no-untyped-def]
    server, _outcome, _seen = storm
    pressed = sum(calls * digits for runs in LANES.values() for _s, _n, calls, digits in runs)
    paths = call_paths(server.log_text()).values()
    assert sum(path.count("<Digit>") for path in paths) == pressed


def test_no_media_clock_thread_runs_beside_the_sip_thread(storm) -> None:  # type: ignore[no-untyped-def]
    _server, _outcome, seen = storm
    assert seen  # the watcher saw the service's threads
    assert "clock" not in seen  # pjmedia's clock thread (the null sound device)


def test_a_call_hung_up_without_any_rtp_from_the_caller_is_logged_by_call_id(storm) -> None:  # type: ignore[no-untyped-def]
    """A digit that never arrived is told apart from one the service lost: only the
    silent callers (and no caller who pressed a key) are named."""
    server, _outcome, _seen = storm
    named = re.findall(r"\(Call-ID (\S+)\): hung up without any RTP received", server.log_text())
    assert len(set(named)) == SILENT_CALLS
