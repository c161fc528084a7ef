"""The demo on real SIP: SIPp calls 100 and presses RFC 2833 digits.

1 -> "Goodbye." and the server hangs up; 2 -> a REFER to 200@127.0.0.1:5070, which
SIPp accepts, then our BYE; silence -> three attempts, then the server hangs up.
The three calls run at once against one service.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import ROOT, Server, serving, sipp
from tests.support.plans import call_paths
from tests.support.scenarios import (
    press_then_server_hangs_up,
    press_then_transferred,
    silent_until_server_hangs_up,
)

MENU_PLAYING_MS = 3000  # after the welcome, while the menu prompt plays (barge-in)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("demo")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "demo.dialplan").write_text(
        (ROOT / "examples/dialplans/demo.dialplan").read_text())
    with serving(folder, workdir) as running:
        running.workdir = workdir  # type: ignore[attr-defined]
        yield running


@pytest.fixture(scope="module")
def results(server: Server) -> dict[str, tuple[int, float]]:
    workdir: Path = server.workdir  # type: ignore[attr-defined]
    scenarios = {
        "press 1": press_then_server_hangs_up("1", MENU_PLAYING_MS),
        "press 2": press_then_transferred("2", MENU_PLAYING_MS),
        "silent": silent_until_server_hangs_up(),
    }
    started = time.monotonic()
    running = {name: sipp(s, server, "100", workdir, timeout=60, background=True)
               for name, s in scenarios.items()}
    outcome = {}
    for name, process in running.items():
        process.wait(timeout=90)  # type: ignore[union-attr]
        outcome[name] = (process.returncode, time.monotonic() - started)
    return outcome


def test_pressing_1_says_goodbye_and_the_server_hangs_up(server: Server, results) -> None:  # type: ignore[no-untyped-def]
    code, seconds = results["press 1"]
    assert code == 0 and seconds < 15
    paths = call_paths(server.log_text()).values()
    assert any(p[-3:] == ["demo.goodbye", "Hangup"] or "demo.goodbye" in p for p in paths)


def test_pressing_2_sends_a_refer_to_extension_200(server: Server, results) -> None:  # type: ignore[no-untyped-def]
    code, _ = results["press 2"]
    assert code == 0  # SIPp received the REFER, accepted it, and then our BYE
    log = server.log_text()
    assert '"type": "Transfer", "target": "sip:200@127.0.0.1:5070"' in log
    assert '"type": "TransferResult", "ok": true' in log


def test_no_input_three_times_hangs_up(server: Server, results) -> None:  # type: ignore[no-untyped-def]
    code, seconds = results["silent"]
    assert code == 0
    assert seconds > 3 * 5  # three first-digit timeouts of 5 s each
    silent = [p for p in call_paths(server.log_text()).values() if "<TimerFired>" in p]
    assert len(silent) == 1
    assert silent[0].count("<TimerFired>") == 3 and silent[0][-1] == "Hangup"


def test_every_call_left_the_service(server: Server, results) -> None:  # type: ignore[no-untyped-def]
    server.wait_calls(0)
    assert server.metric("dialplan_calls_total") == 3
    assert "calls_failed_total" not in str(server.admin("/metrics"))
