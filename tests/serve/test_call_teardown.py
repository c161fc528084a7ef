"""Call teardown under churn, on real SIP: many short demo calls with audio flowing,
ended by the service's BYE, by the caller's BYE (during a prompt, with or without a
digit just pressed) and by CANCEL while ringing, four at a time in one process.

pjsip 2.15.1 aborted a worker now and then (`pj_ioqueue_sendto` assertion) when its
media clock thread sent a call's RTP while the pjsua2 thread tore that call's media
down. The engine now ticks the conference bridge on the pjsua2 thread itself, so the
service must come through with every call completed, every digit delivered, and no
media clock thread of pjsip's own while calls have audio.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.sipp import answered_call, cancelled_call
from tests.serve.harness import ROOT, Server, serving, sipp
from tests.serve.plans import call_paths
from tests.serve.scenarios import press_then_caller_hangs_up, press_then_server_hangs_up

MENU_PLAYING_MS = 3000  # after the welcome, while the menu prompt plays (barge-in)
RINGING = """route 101 -> ringing
flow ringing {
  start:
    wait 20s
    answer
    hangup
}
"""
# (scenario, number called, calls, digits pressed per call): one call at a time each,
# so never more than the 4 a process serves
RUNS = {
    "service hangs up": (press_then_server_hangs_up("1", MENU_PLAYING_MS), "100", 5, 1),
    "caller hangs up after a digit": (press_then_caller_hangs_up("1", MENU_PLAYING_MS, 150),
                                      "100", 6, 1),
    "caller hangs up in the welcome": (answered_call(hold_ms=300), "100", 25, 0),
    "caller cancels while ringing": (cancelled_call(), "101", 25, 0),
}


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


@pytest.fixture(scope="module")
def storm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict, set]]:
    workdir = tmp_path_factory.mktemp("teardown")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "demo.dialplan").write_text(
        (ROOT / "examples/dialplans/demo.dialplan").read_text())
    (folder / "ringing.dialplan").write_text(RINGING)
    with serving(folder, workdir) as server:
        seen: set[str] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.1):
                seen.update(threads(server.process.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        running = {name: sipp(scenario, server, number, workdir, calls=calls, rate=10,
                              timeout=50, background=True)
                   for name, (scenario, number, calls, _digits) in RUNS.items()}
        outcome = {}
        for name, process in running.items():
            assert isinstance(process, subprocess.Popen)
            out, _ = process.communicate(timeout=70)
            outcome[name] = (process.returncode, out[-1500:])
        done.set()
        watcher.join()
        yield server, outcome, seen


def test_every_call_ends_cleanly_however_it_is_torn_down(storm) -> None:  # type: ignore[no-untyped-def]
    server, outcome, _seen = storm
    for name, (code, out) in outcome.items():
        assert code == 0, f"{name}: SIPp exit {code}\n{out}"
    assert server.process.poll() is None, server.log_text()[-3000:]
    assert "Assertion" not in server.log_text()


def test_every_digit_pressed_reaches_the_flow(storm) -> None:  # type: ignore[no-untyped-def]
    server, _outcome, _seen = storm
    pressed = sum(calls * digits for _s, _n, calls, digits in RUNS.values())
    paths = call_paths(server.log_text()).values()
    assert sum(path.count("<Digit>") for path in paths) == pressed


def test_no_media_clock_thread_runs_beside_the_sip_thread(storm) -> None:  # type: ignore[no-untyped-def]
    _server, _outcome, seen = storm
    assert seen  # the watcher saw the service's threads
    assert "clock" not in seen  # pjmedia's clock thread (the null sound device)
