"""Hot reload on real calls: calls keep the plan version they started on, broken edits
never replace a working plan, and reloads during a stream of calls lose none."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.plans import call_paths, call_versions, menu_plan
from tests.support.scenarios import press_then_server_hangs_up


def versions(server: Server) -> list[str]:
    return list(server.admin("/plans")["plans"].values())  # type: ignore[index]


def plan_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(text)
    return folder


def test_a_call_in_progress_keeps_its_version_and_a_new_call_gets_the_new_one(
        tmp_path: Path) -> None:
    folder = plan_folder(tmp_path, menu_plan("old_target"))
    with serving(folder, tmp_path) as server:
        before = versions(server)
        # call A answers, waits in the menu for 4 s, then presses 1
        first = sipp(press_then_server_hangs_up("1", 4000), server, "100", tmp_path,
                     timeout=30, background=True)
        wait_for(lambda: len(server.admin("/calls")) == 1)  # type: ignore[arg-type]
        (folder / "main.dialplan").write_text(menu_plan("new_target"))
        wait_for(lambda: versions(server) != before)
        second = sipp(press_then_server_hangs_up("1", 1000), server, "100", tmp_path,
                      timeout=30)
        assert first.wait(timeout=40) == 0 and second.returncode == 0  # type: ignore[union-attr]
        log = server.log_text()
    paths, started = call_paths(log), call_versions(log)
    old_call, new_call = sorted(started, key=lambda call: log.index(f'"call": "{call}"'))
    assert started[old_call] == before[0] != started[new_call]
    assert "main.old_target" in paths[old_call] and "main.new_target" not in paths[old_call]
    assert "main.new_target" in paths[new_call]
    assert "call(s) stay on older versions" in log


def test_a_broken_edit_is_refused_with_diagnostics_and_calls_still_work(
        tmp_path: Path) -> None:
    folder = plan_folder(tmp_path, menu_plan())
    with serving(folder, tmp_path) as server:
        before = versions(server)
        (folder / "main.dialplan").write_text(menu_plan("nowhere"))
        wait_for(lambda: "reload (changed: main.dialplan) refused" in server.log_text())
        assert versions(server) == before
        assert "main.dialplan:6:12: E301 undefined state `nowhere` in flow `main`" in \
            server.log_text()
        result = sipp(press_then_server_hangs_up("1", 1000), server, "100", tmp_path,
                      timeout=30)
        assert result.returncode == 0
        assert "main.old_target" in next(iter(call_paths(server.log_text()).values()))


def test_one_hundred_reloads_during_a_stream_of_calls_lose_no_call(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path, menu_plan())
    with serving(folder, tmp_path) as server:
        calls = sipp(press_then_server_hangs_up("1", 1200), server, "100", tmp_path,
                     calls=24, limit=3, rate=2, timeout=90, background=True)
        assert isinstance(calls, subprocess.Popen)
        for i in range(100):
            (folder / "main.dialplan").write_text(menu_plan(say=f"Bye number {i}."))
            server.signal(signal.SIGHUP)
            time.sleep(0.1)  # the reloads' pace (the behaviour under test), not a wait
        stdout, _ = calls.communicate(timeout=120)
        assert calls.returncode == 0, stdout[-2000:]
        assert server.metric("dialplan_reloads_total") >= 100
        assert "dialplan_reloads_failed_total" not in str(server.admin("/metrics"))
        assert server.metric("dialplan_calls_total") == 24
