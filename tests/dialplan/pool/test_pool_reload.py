"""A pool's workers run exactly the plan set its supervisor checked, never what happens
to be in the folder when they load: a good save followed at once by a broken one leaves
every worker on the good one (workers used to read the folder again after the check,
and some caught the broken save), and a worker restarted while the folder is broken
starts on the checked set too (it used to read the folder, and could not start). Every
worker's `/plans` names the same digest, and calls on every worker run that version."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.harness import Server, admin_request, serving, sipp, wait_for
from tests.support.plans import menu_plan
from tests.support.scenarios import press_then_server_hangs_up

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

TRIES, WORKERS = 3, 2
# 300 more flows make a check take about 0.7 s (2 cores), longer than the editor's gap
# between a good save and a broken one; the supervisor's watcher reports a save within
# its debounce (0.2 s), so the broken save lands while the good one is being checked
BULK = "".join(f"flow f{i} {{ s: answer; wait 1s; hangup }}\n" for i in range(300))
SAVE_GAP = 0.6


def worker_plans(server: Server, slot: int) -> Any:
    """The worker's `/plans`, or None while it does not answer (starting)."""
    try:
        status, body = admin_request(server.admin_port + 1 + slot, "GET", "/plans",
                                     server.tokens["read"])
    except OSError:  # URLError included
        return None
    return json.loads(body) if status == 200 else None


def checked_digests(server: Server) -> list[str]:
    return re.findall(r"reload checked \(.*, digest ([0-9a-f]{64})\)", server.log_text())


def test_a_broken_save_right_after_a_good_one_leaves_every_worker_on_the_good_one(
        tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    plan = folder / "main.dialplan"
    plan.write_text(menu_plan() + BULK)
    with serving(folder, tmp_path, extra=["--processes", str(WORKERS)]) as server:
        started_on = worker_plans(server, 0)["digest"]
        for attempt in range(1, TRIES + 1):
            plan.write_text(menu_plan(say=f"Bye number {attempt}.") + BULK)
            time.sleep(SAVE_GAP)  # the attack's timing: saved again while being checked
            plan.write_text(menu_plan("nowhere") + BULK)
            server.wait_for_log("reload refused for every process", count=attempt,
                                timeout=20)
            checked = checked_digests(server)  # the good save, unless both came at once
            server.wait_for_log("reload (SIGHUP)", count=len(checked) * WORKERS, timeout=20)
            seen = [worker_plans(server, slot) for slot in range(WORKERS)]
            assert all(found == seen[0] for found in seen), (attempt, seen)
            assert seen[0]["digest"] == (checked or [started_on])[-1], (attempt, seen)
        pid = re.findall(r"worker 1 started: pid (\d+)", server.log_text())[-1]
        os.kill(int(pid), signal.SIGKILL)  # the folder is broken now
        server.wait_for_log("worker 1 started: pid", count=2, timeout=20)
        wait_for(lambda: worker_plans(server, 1) is not None, timeout=20,
                 explain=lambda: "the restarted worker did not start")
        assert worker_plans(server, 1) == worker_plans(server, 0)
        calls = sipp(press_then_server_hangs_up("1", 500), server, "100", tmp_path,
                     calls=WORKERS, limit=WORKERS, rate=10, timeout=30)
        assert calls.returncode == 0, str(calls.stdout)[-1500:]
        versions = re.findall(r'"version": "([0-9a-f]+)", "event": "call_started"',
                              server.log_text())
    assert len(versions) == WORKERS and len(set(versions)) == 1, versions
    assert set(versions) == set(seen[0]["plans"].values())
