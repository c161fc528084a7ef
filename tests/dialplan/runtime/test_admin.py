"""A service's admin endpoint, attacked as a local user would: on 127.0.0.1, over real
HTTP, against a real `dialplan serve` that has taken a real SIP call (SIPp).

Before aiohttp it answered anyone: /trace (the digits callers keyed in) and every page
needed no token, /queues hung up without a word while Redis was down.
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from dialplan.runtime.admin_http import BACKLOG, MAX_BODY, MAX_CONNECTIONS
from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.plans import menu_plan
from tests.support.redis_server import free_port
from tests.support.scenarios import press_then_server_hangs_up

IDLE_TIMEOUT = 1  # seconds (admin_idle_timeout)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One service whose queue store is a Redis that is not running, after one call in
    which the caller pressed 1."""
    workdir = tmp_path_factory.mktemp("admin")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(menu_plan())
    settings = (f'queue_store = "redis://127.0.0.1:{free_port()}/0"\n'
                f"admin_idle_timeout = {IDLE_TIMEOUT}\n")
    with serving(folder, workdir, settings=settings) as running:
        call = sipp(press_then_server_hangs_up("1", 500), running, "100", workdir)
        assert call.returncode == 0, str(call.stdout)[-1500:]
        yield running


def _sip_call_id(server: Server) -> str:
    found = re.search(r'"sip_call_id": "([^"]+)"', server.log_text())
    assert found is not None
    return found.group(1)


def _error(answer: tuple[int, bytes], status: int) -> str:
    """The JSON error of an answer that must have `status`."""
    assert answer[0] == status, answer
    body = json.loads(answer[1])
    assert body["status"] == status
    return str(body["error"])


def test_every_page_but_healthz_needs_a_token(server: Server) -> None:
    for path in ("/calls", "/plans", "/queues", "/metrics", "/trace?tag=x"):
        _error(server.request("GET", path), 401)
        _error(server.request("GET", path, "not-the-token-" * 3), 401)
    _error(server.request("POST", "/reload"), 401)
    _error(server.request("GET", "/no-such-page"), 401)  # no token: not even a 404
    status, body = server.request("GET", "/healthz")
    assert status == 200 and json.loads(body) == {"ok": True, "draining": False}


def test_a_calls_trace_and_its_digits_need_the_operator_token(server: Server) -> None:
    path = f"/trace?sip_call_id={quote(_sip_call_id(server))}"
    _error(server.request("GET", path), 401)
    assert "operator" in _error(server.request("GET", path, server.tokens["read"]), 403)
    _error(server.request("POST", "/reload", server.tokens["read"]), 403)
    trace = server.admin(path, "operator")
    assert isinstance(trace, dict) and trace["digits"] == 1


def test_the_operator_reloads_the_plans(server: Server) -> None:
    status, body = server.request("POST", "/reload", server.tokens["operator"])
    assert status == 200 and json.loads(body)["reloaded"] is True


def test_every_error_is_json(server: Server) -> None:
    read, operator = server.tokens["read"], server.tokens["operator"]
    _error(server.request("GET", "/no-such-page", read), 404)
    _error(server.request("PUT", "/calls", operator), 405)
    _error(server.request("POST", "/reload", operator, b"x" * (MAX_BODY + 1)), 413)


def test_queues_answer_503_while_their_redis_is_down(server: Server) -> None:
    assert "queue store" in _error(server.request("GET", "/queues", server.tokens["read"]),
                                   503)


def test_metrics_parse_and_count_the_call(server: Server) -> None:
    assert server.families()["dialplan_calls"].type == "counter"
    assert server.metric("dialplan_calls_total") == 1
    assert server.metric("dialplan_calls_active") == 0
    assert server.metric("dialplan_call_duration_seconds_count") == 1


def open_idle(port: int, count: int) -> list[socket.socket]:
    """`count` connections to `port` that never send a byte."""
    return [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]


def held_by(pid: int) -> tuple[int, int]:
    """(threads, open files) of a process."""
    return len(os.listdir(f"/proc/{pid}/task")), len(os.listdir(f"/proc/{pid}/fd"))


def closed_by_server(connection: socket.socket) -> bool:
    connection.settimeout(0.01)
    try:
        data = connection.recv(4096)
    except TimeoutError:
        return False
    except OSError:
        return True
    if data:  # the 503 of a connection past the limit, then the end
        return b"too many admin connections" in data or closed_by_server(connection)
    return True


def assert_idle_connections_bounded(server: Server, pid: int, flood: int = 200) -> None:
    """`flood` idle connections hold no thread, at most MAX_CONNECTIONS sockets, and
    are closed after the idle timeout; the endpoint answers again afterwards."""
    threads, files = held_by(pid)
    connections = open_idle(server.admin_port, flood)
    try:  # past the limit: a 503 and closed at once
        wait_for(lambda: sum(map(closed_by_server, connections))
                 >= flood - MAX_CONNECTIONS - BACKLOG, 10,
                 lambda: "connections past the limit are kept")
        held = held_by(pid)
        assert held[0] < threads + 5, (threads, held)  # not a thread per connection
        assert held[1] <= files + MAX_CONNECTIONS + BACKLOG + 2, (files, held)
        wait_for(lambda: all(closed_by_server(c) for c in connections), IDLE_TIMEOUT + 5,
                 lambda: "idle connections are not closed")
    finally:
        for connection in connections:
            connection.close()
    wait_for(lambda: held_by(pid)[1] <= files + 2, 5)
    assert server.request("GET", "/healthz")[0] == 200


def test_idle_connections_hold_no_thread_and_are_closed(server: Server) -> None:
    assert_idle_connections_bounded(server, server.process.pid)


def test_token_files_are_private_and_a_readable_one_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(menu_plan())
    tokens = tmp_path / "admin"
    tokens.mkdir(mode=0o700)
    (tokens / "operator.token").write_text("an-operators-own-token-1234\n")
    (tokens / "operator.token").chmod(0o644)
    with pytest.raises(RuntimeError, match="chmod 600"), serving(folder, tmp_path):
        pass
    (tokens / "operator.token").chmod(0o600)
    with serving(folder, tmp_path) as running:
        assert running.tokens["operator"] == "an-operators-own-token-1234"
        assert stat.S_IMODE((tokens / "read.token").stat().st_mode) == 0o600


def test_tokens_are_made_on_first_start_in_a_private_folder(server: Server) -> None:
    folder = server.log.parent / "admin"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for scope in ("read", "operator"):
        assert stat.S_IMODE((folder / f"{scope}.token").stat().st_mode) == 0o600
        assert len(server.tokens[scope]) >= 40
    assert server.tokens["read"] != server.tokens["operator"]


def _write_token(path: Path, token: str) -> None:
    """As an operator rotates a token: a private file put in place at once."""
    fresh = path.with_suffix(".new")
    fresh.write_text(token + "\n")
    fresh.chmod(0o600)
    fresh.replace(path)


def test_a_rotated_token_counts_at_once_and_the_old_one_no_more(server: Server) -> None:
    path = server.log.parent / "admin" / "read.token"
    old, new = server.tokens["read"], "a-freshly-rotated-read-token"
    _write_token(path, new)
    try:
        _error(server.request("GET", "/calls", old), 401)
        assert server.request("GET", "/calls", new)[0] == 200
    finally:
        _write_token(path, old)
    assert server.request("GET", "/calls", old)[0] == 200
