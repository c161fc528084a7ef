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
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
MEDIA_PER_WORKER = 64  # RTP ports a worker gets; 64+ keeps the engine's churn guard at full pace


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
    `admin` (+1..+K), RTP from `media` on, MEDIA_PER_WORKER ports a worker."""
    plans: Path
    workdir: Path
    processes: int
    sip: int = 25000
    admin: int = 25500
    media: int = 12000
    log_level: str = "INFO"
    process: subprocess.Popen[str] | None = None
    command: list[str] = field(default_factory=list)
    seen: dict[int, Proc] = field(default_factory=dict)

    def start(self) -> Service:
        k, high = self.processes, self.media + MEDIA_PER_WORKER * self.processes - 1
        taken = [p for p in range(self.sip, self.sip + k + 1)
                 if not port_free(p, socket.SOCK_DGRAM)]
        taken += [p for p in range(self.admin, self.admin + k + 1)
                  if not port_free(p, socket.SOCK_STREAM)]
        taken += [p for p in range(self.media, high + 1) if not port_free(p, socket.SOCK_DGRAM)]
        if taken:
            raise RuntimeError(f"ports in use: {taken[:10]} (choose other --sip/--admin/--media)")
        cache, config = self.workdir / "cache", self.workdir / "serve.toml"
        config.write_text(f'[serve]\nprompts = ["{ROOT / "prompts"}"]\nprompt_cache = "{cache}"\n'
                          f'recordings = "{self.workdir / "recordings"}"\ndrain_timeout = 5\n')
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

    def live_calls(self) -> int:
        url = f"http://127.0.0.1:{self.admin}/workers"
        with urllib.request.urlopen(url, timeout=10) as reply:
            workers = json.loads(reply.read())
        if workers and "calls" in workers[0]:
            return sum(int(w["calls"]) for w in workers)
        with urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/calls", timeout=30) as reply:
            return len(json.loads(reply.read()))

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
        log = (self.workdir / "serve.log").read_text(errors="replace")
        for folder in re.findall(r"kamailio configuration: (/tmp/dialplan-pool-\w+)/", log):
            shutil.rmtree(folder, ignore_errors=True)
        self.process = None
