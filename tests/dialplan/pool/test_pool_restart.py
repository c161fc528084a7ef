"""Planned restarts of a pool (`dialplan serve --processes N`) on real SIP: a rolling
restart replaces every process while calls are up and new ones arrive, and loses none;
a killed process's lost calls are counted from the load board."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.scenarios import press_then_server_hangs_up

from .rotation import wait_in_rotation

HOLD_PLAN = 'route 100 -> main\nflow main { start: answer; wait 4s; say "Bye."; hangup }\n'


def _plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(HOLD_PLAN)
    return folder


def _pids(server: Server) -> list[int]:
    return [int(w["pid"]) for w in server.workers()]


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """2 processes, shared by the rolling restarts (each replaces every process)."""
    workdir = tmp_path_factory.mktemp("restarts")
    with serving(_plans(workdir), workdir, extra=["--processes", "2"]) as server:
        yield server


def test_a_rolling_restart_replaces_every_process_and_loses_no_call(
        pool: Server, tmp_path: Path) -> None:
    before = _pids(pool)
    up = sipp(press_then_server_hangs_up("", 0), pool, "100", tmp_path, calls=4,
              limit=4, rate=20, timeout=40, background=True)
    wait_for(lambda: pool.worker_calls() == 4, timeout=10)  # two on each process
    pool.signal(signal.SIGUSR2)
    pool.wait_for_log("retiring (rolling restart)", 1, timeout=10)
    during = sipp(press_then_server_hangs_up("", 0), pool, "100", tmp_path, calls=3,
                  limit=2, rate=0.5, timeout=60, background=True)
    assert isinstance(up, subprocess.Popen) and isinstance(during, subprocess.Popen)
    assert up.wait(timeout=60) == 0, up.communicate()[0][-1500:]
    assert during.wait(timeout=60) == 0, during.communicate()[0][-1500:]
    pool.wait_for_log("retired (rolling restart)", 2, timeout=40)
    after = _pids(pool)
    assert set(after).isdisjoint(before), (before, after)
    again = sipp(press_then_server_hangs_up("", 0), pool, "100", tmp_path, calls=2,
                 limit=2, rate=20, timeout=40)
    assert again.returncode == 0
    assert pool.metric("dialplan_pool_lost_calls_total") == 0


def test_the_admin_endpoint_starts_a_rolling_restart(pool: Server) -> None:
    before, retired = _pids(pool), pool.log_text().count("retired (rolling restart)")
    assert pool.request("POST", "/restart", pool.tokens["operator"])[0] == 202
    pool.wait_for_log("retired (rolling restart)", retired + 2, timeout=40)
    wait_for(lambda: set(_pids(pool)).isdisjoint(before), timeout=10)


def test_calls_lost_with_a_killed_process_are_counted(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "1"]) as server:
        calls = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=2,
                     limit=2, rate=20, timeout=20, background=True)
        assert isinstance(calls, subprocess.Popen)
        wait_for(lambda: server.worker_calls() == 2, timeout=10)
        listed = server.admin("/workers")
        assert listed[0]["calls"] == 2  # type: ignore[index]
        os.kill(int(listed[0]["pid"]), signal.SIGKILL)  # type: ignore[index]
        server.wait_for_log("2 call leg(s) lost; restarting", 1, timeout=20)
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
        wait_in_rotation(server, 2)  # the new process answered the proxy's OPTIONS
        assert frozen not in _pids(server)
        calls = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=4,
                     limit=4, rate=20, timeout=40)
        assert calls.returncode == 0
        assert server.metric("dialplan_pool_hung_kills_total") == 1
