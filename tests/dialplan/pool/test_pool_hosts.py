"""Several hosts: two services, one bound to 127.0.0.2 and one to 127.0.0.3 (each a pool
without a proxy of its own, `--proxy none`), behind one `dialplan proxy` on 127.0.0.1,
sharing their queues through a real Redis. Calls spread over both hosts; a rolling
restart on one host takes its process out of the proxy's rotation (through the proxy's
control socket) and back; and a queue spans both hosts: a caller on one gets the agent
once a caller on the other frees it."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.engine.support import free_port_block
from tests.support.harness import Server, serving, sipp
from tests.support.redis_server import running_redis
from tests.support.scenarios import press_then_server_hangs_up, silent_until_server_hangs_up
from tests.support.uas import Uas, agents, answer_then_hang_up

HOSTS = ("127.0.0.2", "127.0.0.3")
HOLD_PLAN = 'route 100 -> main\nflow main { start: answer; wait 4s; say "Bye."; hangup }\n'


@dataclass
class Front:
    """The proxy both hosts sit behind: what SIPp calls."""
    sip_port: int


def control(workdir: Path) -> str:
    return f"unix:{workdir / 'proxy.ctl'}"


@contextlib.contextmanager
def proxy_in_front(servers: list[Server], workdir: Path) -> Iterator[Front]:
    port = free_port_block(1)
    targets = [arg for host, server in zip(HOSTS, servers, strict=True)
               for arg in ("--to", f"{host}:{server.sip_port + 1}")]
    log = workdir / "proxy.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "dialplan", "proxy", "--listen", f"127.0.0.1:{port}",
         "--control", control(workdir), *targets],
        stdout=subprocess.PIPE, stderr=log.open("w"), text=True, cwd=workdir)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready: proxy"), log.read_text()
        yield Front(port)
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def two_hosts(folder: Path, workdir: Path) -> Iterator[tuple[Front, list[Server]]]:
    with running_redis(workdir) as url, contextlib.ExitStack() as stack:
        servers = []
        for host in HOSTS:
            place = workdir / host
            place.mkdir()
            servers.append(stack.enter_context(serving(
                folder, place, extra=["--processes", "1", "--proxy", "none", "--bind", host,
                                       "--proxy-control", control(workdir)],
                settings=f'queue_store = "{url}"\n')))
        front = stack.enter_context(proxy_in_front(servers, workdir))
        yield front, servers


def calls_on(server: Server) -> int:
    return int(server.metric("dialplan_calls_total"))


@dataclass
class Hosts:
    front: Front
    servers: list[Server]
    agent: Uas  # the queue's one agent: it takes two calls


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    """Two hosts behind one proxy, shared by the tests: 100 holds a call, 200 queues for
    the one agent."""
    workdir = tmp_path_factory.mktemp("hosts")
    with agents(workdir, agent=(answer_then_hang_up(hold_ms=2500), 2)) as started:
        agent = started["agent"]
        folder = workdir / "plans"
        folder.mkdir()
        (folder / "main.dialplan").write_text(HOLD_PLAN)
        (folder / "q.dialplan").write_text(
            f'route 200 -> q\nqueue help {{ agents "{agent.uri}" max_wait 30s }}\n'
            "flow q { s: answer; queue help { noanswer -> hangup }; hangup }\n")
        with two_hosts(folder, workdir) as (front, servers):
            yield Hosts(front, servers, agent)


def test_one_proxy_spreads_calls_over_two_hosts(hosts: Hosts, tmp_path: Path) -> None:
    front, servers = hosts.front, hosts.servers
    before = [calls_on(server) for server in servers]
    calls = sipp(press_then_server_hangs_up("", 0), front, "100", tmp_path,
                 calls=6, limit=6, rate=20, timeout=40)
    assert calls.returncode == 0, str(calls.stdout)[-1500:]
    per_host = [calls_on(server) - was for server, was in zip(servers, before, strict=True)]
    assert sum(per_host) == 6 and min(per_host) >= 2, per_host  # 4 at most per process
    assert servers[0].request("POST", "/restart", servers[0].tokens["operator"])[0] == 202
    servers[0].wait_for_log("retired (rolling restart)", timeout=20)
    assert "kamcmd" not in servers[0].log_text()  # out of the proxy's rotation and back
    again = sipp(press_then_server_hangs_up("", 0), front, "100", tmp_path, calls=2,
                 limit=2, rate=20, timeout=40)
    assert again.returncode == 0


def test_a_queue_spans_two_hosts_through_redis(hosts: Hosts, tmp_path: Path) -> None:
    front, servers = hosts.front, hosts.servers
    before = [calls_on(server) for server in servers]
    calls = sipp(silent_until_server_hangs_up(), front, "200", tmp_path,
                 calls=2, limit=2, rate=5, timeout=40)
    assert calls.returncode == 0, str(calls.stdout)[-1500:]
    assert hosts.agent.wait() == 0  # it took both calls, one after the other
    assert [calls_on(server) - was for server, was in zip(servers, before, strict=True)] \
        == [1, 1]  # a caller per host
    answered = sum(server.log_text().count('"outcome": "answered"') for server in servers)
    assert answered == 2
    book = servers[0].admin("/queues")
    assert book["help"]["answered"] == 2 and book["help"]["waiting"] == 0  # type: ignore[index]
