"""Many engine processes behind Kamailio (`dialplan serve --processes N`), on real SIP:
more concurrent calls than one process holds, 503 past the pool's capacity, a killed
process restarted while the others carry on, and reloads that switch every process."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.sipp import rejected_call
from tests.support.harness import ROOT, Server, serving, sipp, wait_for
from tests.support.plans import menu_plan
from tests.support.scenarios import press_then_server_hangs_up

from .rotation import wait_in_rotation

HOLD_PLAN = 'route 100 -> main\nflow main { start: answer; wait 4s; say "Bye."; hangup }\n'


def calls_per_worker(server: Server, count: int) -> list[int]:
    return [int(server.worker_metric(slot, "dialplan_calls_total")) for slot in range(count)]


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(HOLD_PLAN)
    return folder


@pytest.fixture(scope="module")
def holding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One pool of 2 processes holding each call 4 s, shared by the tests that leave it
    serving (a killed process is replaced): its counters are read as differences."""
    workdir = tmp_path_factory.mktemp("holding")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(HOLD_PLAN)
    with pool(folder, workdir, 2) as server:
        yield server


@contextlib.contextmanager
def pool(plans: Path, tmp_path: Path, processes: int) -> Iterator[Server]:
    with serving(plans, tmp_path, extra=["--processes", str(processes)]) as server:
        yield server


def test_a_pool_holds_more_demo_calls_at_once_than_one_process(tmp_path: Path) -> None:
    """The shipped demo: 9 callers at once, each presses 1 after the welcome and hears
    goodbye; one process would hold 4."""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "demo.dialplan").write_text((ROOT / "examples/dialplans/demo.dialplan").read_text())
    with pool(folder, tmp_path, 3) as server:
        result = sipp(press_then_server_hangs_up("1", 3000), server, "100", tmp_path, calls=9,
                      limit=9, rate=50, timeout=40)
        assert result.returncode == 0, str(result.stdout)[-1500:]
        per_worker = calls_per_worker(server, 3)
        assert sum(per_worker) == 9 and max(per_worker) <= 4, per_worker
        assert server.log_text().count('"state": "demo.goodbye"') == 9


def test_past_the_pools_capacity_the_proxy_answers_503(holding: Server,
                                                       tmp_path: Path) -> None:
    busy = sipp(press_then_server_hangs_up("", 0), holding, "100", tmp_path, calls=8,
                limit=8, rate=50, timeout=40, background=True)
    assert isinstance(busy, subprocess.Popen)
    wait_for(lambda: holding.worker_calls() == 8, timeout=10)  # all eight answered, waiting
    refused = sipp(rejected_call(503), holding, "100", tmp_path, timeout=20)
    assert refused.returncode == 0, str(refused.stdout)[-1500:]
    assert busy.wait(timeout=60) == 0


def test_a_killed_process_is_restarted_and_the_others_carry_on(holding: Server,
                                                               tmp_path: Path) -> None:
    wait_for(lambda: holding.worker_calls() == 0, timeout=10)  # the last test's calls ended
    before = calls_per_worker(holding, 2)
    call = sipp(press_then_server_hangs_up("", 0), holding, "100", tmp_path, timeout=40,
                background=True)
    assert isinstance(call, subprocess.Popen)
    wait_for(lambda: holding.worker_calls() == 1, timeout=10)
    now = calls_per_worker(holding, 2)
    victim = 1 - [b - a for a, b in zip(before, now, strict=True)].index(1)
    started = re.findall(rf"worker {victim} started: pid (\d+)", holding.log_text())
    os.kill(int(started[-1]), signal.SIGKILL)
    assert call.wait(timeout=40) == 0  # the call on the other process was not disturbed
    holding.wait_for_log("died with -9, 0 call leg(s) lost; restarting", timeout=20)
    wait_in_rotation(holding, 2)  # the new process answered the proxy's OPTIONS
    again = sipp(press_then_server_hangs_up("", 0), holding, "100", tmp_path, calls=4,
                 limit=4, rate=20, timeout=40)
    assert again.returncode == 0


def test_a_reload_switches_every_process_and_a_broken_edit_none(plans: Path,
                                                               tmp_path: Path) -> None:
    with pool(plans, tmp_path, 2) as server:
        before = [server.worker_page(s, "/plans") for s in range(2)]
        (plans / "main.dialplan").write_text(menu_plan())
        wait_for(lambda: all(server.worker_page(s, "/plans") != before[s]
                             for s in range(2)), timeout=15)
        after = [server.worker_page(s, "/plans") for s in range(2)]
        assert after[0] == after[1] != before[0]
        (plans / "main.dialplan").write_text(menu_plan("nowhere"))
        server.wait_for_log("reload refused for every process")
        assert [server.worker_page(s, "/plans") for s in range(2)] == after


def test_the_pool_admin_endpoint_covers_every_process(holding: Server,
                                                      tmp_path: Path) -> None:
    wait_for(lambda: holding.worker_calls() == 0, timeout=10)  # the last test's calls ended
    before = holding.metric("dialplan_calls_total")
    result = sipp(press_then_server_hangs_up("", 0), holding, "100", tmp_path, calls=2,
                  limit=2, rate=20, timeout=40)
    assert result.returncode == 0
    listed = holding.admin("/workers")
    assert [w["slot"] for w in listed] == [0, 1]  # type: ignore[index,union-attr]
    # the workers' series added up (counters survive a killed worker), and its own
    assert holding.metric("dialplan_calls_total") == before + 2
    assert holding.metric("dialplan_pool_restarts_total") == sum(
        int(w["restarts"]) for w in listed)  # type: ignore[index,union-attr]
    assert set(holding.admin("/plans")) == {"0", "1"}  # type: ignore[arg-type]


def test_callers_in_two_processes_share_one_agent_in_arrival_order(tmp_path: Path) -> None:
    """The queue book lives in the supervisor: the agent taken by a caller in one process
    is free for the caller waiting in the other only once that first call ends."""
    from tests.support.scenarios import silent_until_server_hangs_up
    from tests.support.uas import agents, answer_then_hang_up

    with agents(tmp_path, agent=(answer_then_hang_up(hold_ms=2500), 2)) as started:
        agent = started["agent"]
        folder = tmp_path / "plans"
        folder.mkdir()
        (folder / "q.dialplan").write_text(
            f'route 100 -> q\nqueue help {{ agents "{agent.uri}" max_wait 30s }}\n'
            "flow q { s: answer; queue help { noanswer -> hangup }; hangup }\n")
        with pool(folder, tmp_path, 2) as server:
            calls = sipp(silent_until_server_hangs_up(), server, "100", tmp_path, calls=2,
                         limit=2, rate=5, timeout=40)
            assert calls.returncode == 0, str(calls.stdout)[-1500:]
            assert agent.wait() == 0  # it took both calls, one after the other
            assert calls_per_worker(server, 2) == [1, 1]  # one caller in each process
            log = server.log_text()
            assert log.count('"type": "QueueResult", "outcome": "answered"') == 2
