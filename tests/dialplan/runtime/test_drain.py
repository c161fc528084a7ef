"""SIGTERM drains: new calls are refused, calls in progress end cleanly, exit code 0."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.support.harness import serving, sipp
from tests.support.plans import menu_plan
from tests.support.scenarios import silent_until_server_hangs_up


def test_sigterm_with_calls_in_progress_ends_them_and_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(menu_plan())
    with serving(folder, tmp_path) as server:
        calls = sipp(silent_until_server_hangs_up(), server, "100", tmp_path, calls=2,
                     limit=2, rate=10, timeout=40, background=True)
        assert isinstance(calls, subprocess.Popen)
        server.wait_calls(2)
        server.signal(signal.SIGTERM)
        started = time.monotonic()
        assert server.process.wait(timeout=30) == 0
        stdout, _ = calls.communicate(timeout=30)
        assert calls.returncode == 0, stdout[-1500:]  # both got our BYE
        assert time.monotonic() - started < 15  # drain_timeout is 5 s in the harness
        log = server.log_text()
    assert "draining: 2 call(s) in progress" in log and "stopped" in log
    assert "Traceback" not in log
