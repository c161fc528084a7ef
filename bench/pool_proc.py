"""bench/pool_load.py's side of the service: `dialplan serve --processes K` on fixed high
loopback ports, its process tree (CPU from /proc/PID/stat, PSS from smaps_rollup), and
a stop that leaves nothing behind (SIGTERM, then SIGKILL for any straggler it forked).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.pool_sipp import udp_sockets, udp_totals

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    comm: str
    cpu: float  # seconds: own utime+stime plus that of reaped children
    start: int  # start time in ticks: a pid reused later is another process


def processes() -> dict[int, Proc]:
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        cpu = sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
        found[int(entry.name)] = Proc(int(entry.name), int(fields[1]), comm, cpu, int(fields[19]))
    return found


def tree(root: int, table: dict[int, Proc] | None = None) -> list[Proc]:
    """`root` and every process below it."""
    table = processes() if table is None else table
    children: dict[int, list[Proc]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc)
    found, todo = [], [table[root]] if root in table else []
    while todo:
        proc = todo.pop()
        found.append(proc)
        todo.extend(children.get(proc.pid, []))
    return found


def role(proc: Proc, root: int) -> str:
    if proc.pid == root:
        return "supervisor"
    if proc.comm == "kamailio":
        return "kamailio"
    return "worker" if proc.ppid == root and proc.comm.startswith("python") else "other"


def pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        found = re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
        return int(found.group(1)) if found else 0
    return 0


def port_free(port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as sock:
        if kind == socket.SOCK_STREAM:  # like the admin server: TIME_WAIT is no obstacle
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Service:
    """`dialplan serve PLANS --processes K`: SIP on `sip` (workers sip+1..sip+K), admin on
    `admin` (+1..+K), RTP from `media` on, `per_worker` ports a worker (64+ keeps the
    engine's churn guard at full pace; 20+ is enough for calls that last)."""
    plans: Path
    workdir: Path
    processes: int
    sip: int = 25000
    admin: int = 25500
    media: int = 12000
    log_level: str = "INFO"
    per_worker: int = 64
    keep_log: bool = False
    prompts: Path = ROOT / "prompts"
    process: subprocess.Popen[str] | None = None
    command: list[str] = field(default_factory=list)
    seen: dict[int, Proc] = field(default_factory=dict)

    def start(self) -> Service:
        k, high = self.processes, self.media_high
        taken = [p for p in range(self.sip, self.sip + k + 1)
                 if not port_free(p, socket.SOCK_DGRAM)]
        taken += [p for p in range(self.admin, self.admin + k + 1)
                  if not port_free(p, socket.SOCK_STREAM)]
        taken += [p for p in range(self.media, high + 1) if not port_free(p, socket.SOCK_DGRAM)]
        if taken:
            raise RuntimeError(f"ports in use: {taken[:10]} (choose other --sip/--admin/--media)")
        cache, config = self.workdir / "cache", self.workdir / "serve.toml"
        config.write_text(f'[serve]\nprompts = ["{self.prompts}"]\nprompt_cache = "{cache}"\n'
                          f'recordings = "{self.workdir / "recordings"}"\ndrain_timeout = 5\n'
                          f'admin_tokens = "{self.workdir / "admin"}"\n')
        subprocess.run([sys.executable, "-m", "dialplan", "prompts", "render", "--cache",
                        str(cache), str(self.plans)], check=True, capture_output=True, cwd=ROOT)
        self.command = [sys.executable, "-m", "dialplan", "serve", str(self.plans), "--config",
                        str(config), "--sip-port", str(self.sip), "--admin-port", str(self.admin),
                        "--media-ports", f"{self.media}-{high}", "--processes", str(k),
                        "--log-level", self.log_level]
        self.process = subprocess.Popen(self.command, cwd=ROOT, text=True, start_new_session=True,
                                        stdout=subprocess.PIPE,
                                        stderr=(self.workdir / "serve.log").open("w"))
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30 + k
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            self.remember()
            if line.startswith("ready:"):
                return self
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError(f"the pool did not start; see {self.workdir / 'serve.log'}")

    def remember(self) -> list[Proc]:
        """The tree now; every process seen is remembered, to be reaped at stop."""
        assert self.process is not None
        now = tree(self.process.pid)
        self.seen.update((p.pid, p) for p in now)
        return now

    @property
    def media_high(self) -> int:
        return self.media + self.per_worker * self.processes - 1

    def get(self, path: str, timeout: float = 10) -> Any:
        """An admin page of the pool (JSON), with its read token."""
        token = (self.workdir / "admin" / "read.token").read_text().strip()
        request = urllib.request.Request(f"http://127.0.0.1:{self.admin}{path}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return json.loads(reply.read())

    def live_calls(self) -> int:
        workers = self.get("/workers")
        if workers and "calls" in workers[0]:
            return sum(int(w["calls"]) for w in workers)
        return len(self.get("/calls", timeout=30))

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far by role (reaped processes in their parent's share)."""
        assert self.process is not None
        seconds: dict[str, float] = {}
        for proc in self.remember():
            name = role(proc, self.process.pid)
            seconds[name] = seconds.get(name, 0.0) + proc.cpu
        return seconds

    def settle(self, limit: float = 40.0) -> None:
        """Wait (bounded) until no call is live."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.live_calls():
            time.sleep(0.5)

    def log_size(self) -> int:
        return (self.workdir / "serve.log").stat().st_size

    def problems(self, since: int, top: int = 4) -> str:
        """The commonest WARNING/ERROR lines the service logged since byte `since`; the
        log is then kept when the service stops."""
        self.keep_log = True
        with (self.workdir / "serve.log").open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        found = Counter(re.sub(r"(?<![-\w])\d{3,}", "#", line.split(" ", 3)[-1])[:110]
                        for line in text.splitlines() if " WARNING " in line or " ERROR " in line)
        return "; ".join(f"{n}x {line}" for line, n in found.most_common(top)) or "none"

    def sample(self, caller_media: int, window: float = 5.0) -> dict[str, float]:
        """Live calls, RTP rates and memory while every call is up."""
        high = self.media_high
        live = self.live_calls()
        caller, ours, host = (udp_sockets(caller_media, caller_media),
                              udp_sockets(self.media, high), udp_totals())
        time.sleep(window)
        caller2, ours2, host2 = (udp_sockets(caller_media, caller_media),
                                 udp_sockets(self.media, high), udp_totals())
        return {"live": live, "to_caller": (caller2[2] - caller[2]) / window,
                "sockets": ours2[0], "service_drops": ours2[2] - ours[2], "queued": ours2[1],
                "udp_in": (host2["InDatagrams"] - host["InDatagrams"]) / window,
                "pss": sum(pss_kib(p.pid) for p in self.remember()) / 1024}

    def stuck(self, most: int = 3) -> str:
        """Workers whose admin endpoint does not answer within 2 s (a hung event loop);
        the threads' stacks of up to `most` of them are dumped with gdb."""
        hung = []
        for worker in self.get("/workers"):
            try:
                url = f"http://127.0.0.1:{worker['admin_port']}/healthz"
                urllib.request.urlopen(url, timeout=2).close()
            except OSError:
                hung.append(worker)
        return _with_stacks(hung, most, "pool-load-stacks", lambda w: "")

    def busy_after_settle(self, most: int = 3) -> str:
        """Workers still holding calls once every caller is gone (their calls stalled):
        the threads' stacks of up to `most` of them are dumped with gdb."""
        busy = [w for w in self.get("/workers") if int(w.get("calls", 0))]
        return _with_stacks(busy, most, "pool-busy-stacks", lambda w: f": {w['calls']} call(s)")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.remember()
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        table = processes()
        for proc in self.seen.values():  # only our own: same pid *and* start time
            alive = table.get(proc.pid)
            if alive is not None and alive.start == proc.start:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
        if self.keep_log:
            kept = Path(tempfile.gettempdir()) / f"pool-load-serve-{int(time.time())}.log"
            shutil.copy(self.workdir / "serve.log", kept)
            print(f"  the service's log is kept: {kept}")
        log = (self.workdir / "serve.log").read_text(errors="replace")
        for folder in re.findall(r"kamailio configuration: (/tmp/dialplan-pool-\w+)/", log):
            shutil.rmtree(folder, ignore_errors=True)
        self.process = None


def _with_stacks(workers: list[dict[str, Any]], most: int, name: str,
                 detail: Callable[[dict[str, Any]], str]) -> str:
    """The workers in one line; the threads' stacks of the first `most` dumped with gdb
    into /tmp/NAME-PID.txt."""
    shown = []
    for index, worker in enumerate(workers):
        line = f"slot {worker['slot']} pid {worker['pid']}{detail(worker)}"
        if index < most:
            dump = Path(tempfile.gettempdir()) / f"{name}-{worker['pid']}.txt"
            with contextlib.suppress(subprocess.SubprocessError, OSError), dump.open("w") as out:
                subprocess.run(["gdb", "-p", str(worker["pid"]), "-batch", "-ex",
                                "thread apply all bt"], stdout=out, stderr=out, timeout=60)
            line += f" (stacks: {dump})"
        shown.append(line)
    return ", ".join(shown) or "none"
