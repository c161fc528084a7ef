"""`dialplan serve` and the directory, for real: the schema is made at start, a row
changed by `dialplan users` while the service runs is what its admin endpoint shows
next (no cache), and the pool's endpoint serves `/users` too. An unreachable database
stops the start with a message, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.harness import Server, serving
from tests.support.plans import menu_plan
from tests.support.redis_server import free_port


def _plans(workdir: Path) -> Path:
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(menu_plan())
    return folder


def _users(config: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dialplan", "users", *argv, "--config",
                           str(config)], input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


def _listed(server: Server) -> list[dict[str, object]]:
    status, body = server.request("GET", "/users", server.tokens["read"])
    assert status == 200, body
    listed: list[dict[str, object]] = json.loads(body)
    return listed


def test_a_change_made_while_serving_is_seen_by_the_service_at_once(
        directory_url: str, tmp_path: Path) -> None:
    settings = f'\n[directory]\nurl = "{directory_url}"\n'
    with serving(_plans(tmp_path), tmp_path, settings=settings) as server:
        assert _listed(server) == []  # the schema was made at start
        config = tmp_path / "serve.toml"
        added = _users(config, "add", "201", "--name", "Reception", "--password-stdin",
                       stdin="correct horse\n")
        assert added.returncode == 0, added.stderr
        assert [(e["number"], e["enabled"]) for e in _listed(server)] == [("201", True)]
        assert _users(config, "set", "201", "--disable").returncode == 0
        assert [(e["number"], e["enabled"]) for e in _listed(server)] == [("201", False)]
        status, _ = server.request("PATCH", "/users/201", server.tokens["operator"],
                                   json.dumps({"display_name": "Night desk"}).encode())
        assert status == 200
        listed = json.loads(_users(config, "list", "--format", "json").stdout)
        assert listed[0]["display_name"] == "Night desk"


def test_the_pools_endpoint_serves_the_directory(tmp_path: Path) -> None:
    with serving(_plans(tmp_path), tmp_path, extra=["--processes", "1"]) as server:
        status, body = server.request("POST", "/users", server.tokens["operator"],
                                      json.dumps({"number": "201"}).encode())
        assert status == 201, body
        assert [e["number"] for e in _listed(server)] == ["201"]
        assert (tmp_path / "plans" / "var" / "dialplan.db").exists() is False  # config's
        assert (tmp_path / "var" / "dialplan.db").exists()


@pytest.mark.parametrize("url", ["postgresql://pbx:secret@127.0.0.1:{port}/pbx",
                                 "mysql://pbx@127.0.0.1/pbx"])
def test_an_unusable_database_stops_the_start_with_a_message(url: str, tmp_path: Path
                                                            ) -> None:
    config = tmp_path / "dialplan.toml"
    config.write_text(f'[directory]\nurl = "{url.format(port=free_port())}"\n')
    done = subprocess.run([sys.executable, "-m", "dialplan", "serve", str(_plans(tmp_path)),
                           "--config", str(config)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2 and "dialplan: error:" in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
