"""A real `dialplan serve` process on 127.0.0.1 for tests, and SIPp calls into it.

Every process is started with its own free SIP port and RTP range and killed at the
end, also when a test fails. Calls are bounded in number and time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from prometheus_client import Metric
from prometheus_client.parser import text_string_to_metric_families

from tests.engine.support import free_port_block

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0,
             explain: Callable[[], str] = lambda: "condition not reached in time") -> None:
    """Poll `condition` until it holds; a failed assertion after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.05)


async def wait_until(condition: Callable[[], Awaitable[bool]], timeout: float = 10.0,
                     explain: str = "condition not reached in time") -> None:
    """`wait_for` inside an event loop: awaits `condition()` until it holds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, explain
        await asyncio.sleep(0.05)


def admin_request(port: int, method: str, path: str, token: str | None = None,
                  body: bytes | None = None) -> tuple[int, bytes]:
    """A request to the admin endpoint on `port`, any answer: (status, body)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     method=method)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _sum(families: Iterable[Metric], name: str, labels: dict[str, str]) -> float:
    return sum(sample.value for family in families for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())


class Server:
    def __init__(self, folder: Path, workdir: Path, extra: list[str] | None = None,
                 settings: str = "", env: dict[str, str] | None = None,
                 prompts: Path = ROOT / "prompts") -> None:
        # a pool's workers take the ports after these two: keep room for 7 of them
        self.sip_port = free_port_block(8)
        self.admin_port = free_port_block(8)
        media = free_port_block(100)
        self.log = workdir / f"serve-{self.sip_port}.log"
        config = workdir / "serve.toml"
        config.write_text(
            "[serve]\n"
            f'prompts = ["{prompts}"]\n'
            f'prompt_cache = "{workdir / "cache"}"\n'
            f'recordings = "{workdir / "recordings"}"\n'
            'allowed_targets = ["sip:*@127.0.0.1", "sip:*@127.0.0.1:*"]\n'
            f'admin_tokens = "{workdir / "admin"}"\n'
            "drain_timeout = 5\n" + settings)
        command = [sys.executable, "-m", "dialplan", "serve", str(folder), "--config",
                   str(config), "--sip-port", str(self.sip_port), "--admin-port",
                   str(self.admin_port), "--media-ports", f"{media}-{media + 98}",
                   *(extra or [])]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=self.log.open("w"), text=True, cwd=workdir,
                                        env={**os.environ, **(env or {})})
        self._wait_ready()
        self.tokens = {scope: (workdir / "admin" / f"{scope}.token").read_text().strip()
                       for scope in ("read", "operator")}

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("ready:"):
                return
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError(f"dialplan serve did not start:\n{self.log.read_text()[-3000:]}")

    def admin(self, path: str, scope: str = "") -> object:
        """A GET on the admin endpoint with the token of `scope` (default: read, operator
        for /trace); JSON decoded, /metrics as text."""
        scope = scope or ("operator" if path.startswith("/trace") else "read")
        status, body = self.request("GET", path, self.tokens[scope])
        assert status == 200, f"GET {path}: {status} {body!r}"
        return body.decode() if path == "/metrics" else json.loads(body)

    def request(self, method: str, path: str, token: str | None = None,
                body: bytes | None = None) -> tuple[int, bytes]:
        """Any admin request, any answer: (status, body)."""
        return admin_request(self.admin_port, method, path, token, body)

    def families(self) -> dict[str, Metric]:
        """/metrics parsed, by family name (a pool's: its workers' series added up)."""
        return {family.name: family for family in
                text_string_to_metric_families(str(self.admin("/metrics")))}

    def metric(self, name: str, **labels: str) -> float:
        """The sum of the samples called `name` (with these labels) on /metrics."""
        return _sum(self.families().values(), name, labels)

    def calls(self) -> list[dict[str, Any]]:
        """The calls in progress (/calls)."""
        listed: list[dict[str, Any]] = self.admin("/calls")  # type: ignore[assignment]
        return listed

    def wait_calls(self, count: int, timeout: float = 10.0) -> None:
        """Until `count` calls are in progress (0: every call has left the service)."""
        wait_for(lambda: len(self.calls()) == count, timeout, lambda: str(self.calls()))

    def workers(self) -> list[dict[str, Any]]:
        """A pool's processes (/workers): slot, pid, sip_port, calls in progress."""
        listed: list[dict[str, Any]] = self.admin("/workers")  # type: ignore[assignment]
        return listed

    def worker_calls(self) -> int:
        """Calls in progress in all of a pool's processes."""
        return sum(int(worker["calls"]) for worker in self.workers())

    def worker_page(self, slot: int, path: str) -> object:
        """A pool worker's own admin page (workers listen on the pool's admin_port + 1 +
        slot, and take the pool's tokens); JSON decoded, /metrics as text."""
        status, body = admin_request(self.admin_port + 1 + slot, "GET", path,
                                     self.tokens["read"])
        assert status == 200, f"GET {path} on worker {slot}: {status} {body!r}"
        return body.decode() if path == "/metrics" else json.loads(body)

    def worker_metric(self, slot: int, name: str, **labels: str) -> float:
        """Like `metric`, on one pool worker's own /metrics."""
        text = str(self.worker_page(slot, "/metrics"))
        return _sum(text_string_to_metric_families(text), name, labels)

    def proxy_destinations(self) -> dict[str, str]:
        """A pool's Kamailio dispatcher: each destination's flags ("AP": active and
        probed by OPTIONS, "IP": found down); empty while Kamailio does not answer."""
        found = re.search(r"kamailio configuration: (\S+)/kamailio\.cfg", self.log_text())
        assert found, self.log_text()[-2000:]
        listed = subprocess.run(["kamcmd", "-s", f"unix:{found.group(1)}/kamailio.ctl",
                                 "dispatcher.list"], capture_output=True, text=True,
                                timeout=5, check=False).stdout
        return dict(re.findall(r"URI: sip:(\S+)\s+FLAGS: (\S+)", listed))

    def wait_proxy_sees(self, processes: int, timeout: float = 15.0) -> None:
        """Until the proxy's probes find all `processes` up (after one was replaced)."""
        wait_for(lambda: list(self.proxy_destinations().values()) == ["AP"] * processes,
                 timeout, lambda: str(self.proxy_destinations()))

    def log_text(self) -> str:
        return self.log.read_text()

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 10.0) -> None:
        """Until `text` is in the log `count` times (a failed assertion after `timeout`)."""
        wait_for(lambda: self.log_text().count(text) >= count, timeout,
                 lambda: self.log_text()[-3000:])

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@contextlib.contextmanager
def serving(folder: Path, workdir: Path, extra: list[str] | None = None,
            settings: str = "", env: dict[str, str] | None = None,
            prompts: Path = ROOT / "prompts") -> Iterator[Server]:
    """A running service; `settings` are more `[serve]` lines for its config, `env` more
    environment variables, `prompts` its prompt folder."""
    server = Server(folder, workdir, extra, settings, env, prompts)
    try:
        yield server
    finally:
        server.stop()


class Reachable(Protocol):
    """Anything SIPp can call: a service, or a proxy in front of services."""
    sip_port: int


def sipp(scenario: str, server: Reachable, number: str, workdir: Path, calls: int = 1,
         limit: int = 1, rate: float = 5.0, timeout: float = 40.0,
         background: bool = False, extra: Sequence[str] = ()
         ) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:
    """Call `number` on `server` with a SIPp scenario (bounded by count and time);
    `extra` SIPp options, e.g. `-aa` to answer the NOTIFYs a followed REFER brings."""
    local, media = free_port_block(1), free_port_block(4)
    path = workdir / f"scenario-{local}.xml"
    path.write_text(scenario)
    command = ["sipp", f"127.0.0.1:{server.sip_port}", "-sf", str(path), "-s", number,
               "-i", "127.0.0.1", "-p", str(local), "-mi", "127.0.0.1", "-mp", str(media),
               "-m", str(calls), "-l", str(limit), "-r", str(rate),
               "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin", *extra]
    if background:
        return subprocess.Popen(command, cwd=workdir, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                          timeout=timeout + 15, check=False, env={**os.environ})
