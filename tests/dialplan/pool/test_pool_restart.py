"""Planned restarts of a pool (`dialplan serve --processes N`) on real SIP: a rolling
restart replaces every process while calls are up and new ones arrive, and loses none;
a killed process's lost calls are counted from the load board."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.scenarios import press_then_server_hangs_up

HOLD_PLAN = 'route 100 -> main\nflow main { start: answer; wait 4s; say "Bye."; hangup }\n'


def _plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(HOLD_PLAN)
    return folder


def _pids(server: Server) -> list[int]:
    return [int(w["pid"]) for w in server.workers()]


def test_a_rolling_restart_replaces_every_process_and_loses_no_call(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "2"]) as server:
        before = _pids(server)
        up = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=4,
                  limit=4, rate=20, timeout=40, background=True)
        wait_for(lambda: server.worker_calls() == 4, 15)  # two on each process
        server.signal(signal.SIGUSR2)
        server.wait_for_log("rolling restart of 2 processes")
        during = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=3,
                      limit=2, rate=0.5, timeout=60, background=True)
        assert isinstance(up, subprocess.Popen) and isinstance(during, subprocess.Popen)
        assert up.wait(timeout=60) == 0, up.communicate()[0][-1500:]
        assert during.wait(timeout=60) == 0, during.communicate()[0][-1500:]
        server.wait_for_log("retired (rolling restart)", 2, timeout=40)
        after = _pids(server)
        assert set(after).isdisjoint(before), (before, after)
        again = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=2,
                     limit=2, rate=20, timeout=40)
        assert again.returncode == 0
        assert server.metric("dialplan_pool_lost_calls_total") == 0


def test_the_admin_endpoint_starts_a_rolling_restart(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "2"]) as server:
        before = _pids(server)
        assert server.request("POST", "/restart", server.tokens["operator"])[0] == 202
        server.wait_for_log("retired (rolling restart)", 2, timeout=40)
        wait_for(lambda: set(_pids(server)).isdisjoint(before), 10,
                 lambda: f"{before} {_pids(server)}")


def test_calls_lost_with_a_killed_process_are_counted(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "1"]) as server:
        calls = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=2,
                     limit=2, rate=20, timeout=20, background=True)
        assert isinstance(calls, subprocess.Popen)
        wait_for(lambda: server.worker_calls() == 2, 15)
        os.kill(int(server.workers()[0]["pid"]), signal.SIGKILL)
        server.wait_for_log("2 call(s) lost; restarting", 1, timeout=20)
        assert server.metric("dialplan_pool_lost_calls_total") == 2
        calls.kill()
        calls.wait()


def test_a_hung_process_is_killed_and_replaced(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "2"],
                 settings="hung_after = 3\n") as server:
        frozen = _pids(server)[0]
        os.kill(frozen, signal.SIGSTOP)  # alive, but its event loop no longer runs
        server.wait_for_log(f"(pid {frozen}) hung: no heartbeat", 1, timeout=20)
        server.wait_for_log("worker 0 started", 2, timeout=20)
        server.wait_proxy_sees(2)  # its OPTIONS probe finds the new process
        assert frozen not in _pids(server)
        calls = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=4,
                     limit=4, rate=20, timeout=40)
        assert calls.returncode == 0
        assert server.metric("dialplan_pool_hung_kills_total") == 1
