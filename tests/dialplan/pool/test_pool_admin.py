"""The pool's admin endpoint, attacked as a local user would, on a real 2-process pool
behind Kamailio that has taken real SIP calls (SIPp).

Before aiohttp: no token anywhere (POST /restart by anyone), a supervisor thread per
connection kept forever (800 idle connections: 803 threads), /queues without a reply
while Redis was down, and /metrics the workers' texts glued together by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.dialplan.runtime.test_admin import IDLE_TIMEOUT, assert_idle_connections_bounded
from tests.support.harness import Server, admin_request, serving, sipp, wait_for
from tests.support.redis_server import free_port
from tests.support.scenarios import press_then_server_hangs_up

HOLD_PLAN = 'route 100 -> main\nflow main { start: answer; wait 2s; hangup }\n'


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two processes, their queue store a Redis that is not running, after two calls."""
    workdir = tmp_path_factory.mktemp("pool-admin")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(HOLD_PLAN)
    settings = (f'queue_store = "redis://127.0.0.1:{free_port()}/0"\n'
                f"admin_idle_timeout = {IDLE_TIMEOUT}\n")
    with serving(folder, workdir, extra=["--processes", "2"], settings=settings) as running:
        calls = sipp(press_then_server_hangs_up("", 0), running, "100", workdir, calls=2,
                     limit=2, rate=20, timeout=40)
        assert calls.returncode == 0, str(calls.stdout)[-1500:]
        yield running


def test_the_pool_and_its_workers_want_tokens(pool: Server) -> None:
    for path in ("/workers", "/calls", "/metrics", "/trace?tag=x"):
        assert pool.request("GET", path)[0] == 401
    assert pool.request("POST", "/restart")[0] == 401
    assert pool.request("POST", "/restart", pool.tokens["read"])[0] == 403
    assert pool.request("POST", "/reload", pool.tokens["read"])[0] == 403
    assert pool.request("GET", "/trace?tag=x", pool.tokens["read"])[0] == 403
    status, body = pool.request("GET", "/trace?tag=x", pool.tokens["operator"])
    assert status == 404 and json.loads(body)["status"] == 404
    worker = pool.admin_port + 1  # a worker's own port: the same tokens, the same rules
    assert admin_request(worker, "GET", "/calls")[0] == 401
    assert admin_request(worker, "GET", "/trace?tag=x", pool.tokens["read"])[0] == 403


def test_the_pools_health_says_up_and_nothing_else(pool: Server) -> None:
    status, body = pool.request("GET", "/healthz")
    assert status == 200
    assert json.loads(body) == {"ok": True, "stopping": False, "workers": 2, "workers_up": 2,
                                "proxy_up": True}


def test_the_pools_queues_answer_503_while_redis_is_down(pool: Server) -> None:
    status, body = pool.request("GET", "/queues", pool.tokens["read"])
    assert status == 503 and "queue store" in json.loads(body)["error"]


def test_the_pools_metrics_add_up_its_workers(pool: Server) -> None:
    assert {"dialplan_calls", "dialplan_pool_restarts", "dialplan_pool_workers"} <= \
        set(pool.families())
    assert pool.metric("dialplan_calls_total") == 2  # one call in each process, or both in one
    assert pool.metric("dialplan_call_duration_seconds_count") == 2
    wait_for(lambda: pool.metric("dialplan_calls_active") == 0, 5)  # sampled each second
    assert pool.metric("dialplan_pool_workers") == 2


def test_idle_connections_hold_no_supervisor_thread(pool: Server) -> None:
    assert_idle_connections_bounded(pool, pool.process.pid)


def test_the_pool_finds_a_calls_trace_in_the_worker_that_ran_it(pool: Server) -> None:
    found = re.search(r'"sip_call_id": "([^"]+)"', pool.log_text())
    assert found is not None
    path = f"/trace?sip_call_id={quote(found.group(1))}"
    assert pool.request("GET", path, pool.tokens["read"])[0] == 403
    trace = pool.admin(path, "operator")
    assert isinstance(trace, dict) and trace["sip_call_id"] == found.group(1)
