"""Theory of operation: many engine processes behind Kamailio.

One pjsua2 process holds 4 calls, so `dialplan serve --processes N` runs N workers, each
a full service (its own endpoint, SIP port and RTP range), with Kamailio in front on the
public port spreading calls by load. The supervisor (this module) imports everything,
freezes the GC and only then forks, so workers share the code pages. It runs no event
loop itself: it forks, waits for signals, and acts:

- a worker that dies is forked again into its slot (its calls are lost and counted);
- a worker whose engine asks to be recycled (the wheel leaks a bridge slot per call)
  drains and exits with EXIT_RECYCLE, and is replaced the same way;
- a reload (a plan file changed, seen by polling, or SIGHUP) is checked here once; only a
  clean plan set makes every worker reload, so a broken edit switches none;
- SIGTERM drains every worker, then stops Kamailio last.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..render import format_text
from .config import ServeConfig
from .kamailio import ProxySettings, write_files
from .plans import load_plan_set
from .pool_admin import serve_pool_admin
from .queue_book import QueueBook
from .queue_server import serve_queue_book
from .run import EXIT_RECYCLE
from .worker import run_worker

log = logging.getLogger("dialplan.pool")
QUICK_DEATH = 10.0  # seconds: a worker dying sooner than this is failing, not worn out
MAX_BACKOFF = 10.0


@dataclass
class Worker:
    slot: int
    config: ServeConfig
    pid: int = 0
    started: float = 0.0
    restarts: int = 0
    recycled: int = 0
    failures: int = 0  # quick deaths in a row: each doubles the wait before the next try

    def describe(self) -> dict[str, object]:
        return {"slot": self.slot, "pid": self.pid, "sip_port": self.config.sip_port,
                "admin_port": self.config.admin_port, "restarts": self.restarts,
                "recycled": self.recycled}


@dataclass
class Pool:
    folder: Path
    config: ServeConfig
    processes: int
    workdir: Path
    workers: list[Worker] = field(default_factory=list)
    proxy: subprocess.Popen[bytes] | None = None
    wake: threading.Event = field(default_factory=threading.Event)
    reload_wanted: bool = False
    stopping: bool = False
    lost_calls: int = 0

    def worker_configs(self) -> list[ServeConfig]:
        low, high = self.config.media_ports
        share = (high - low + 1) // self.processes
        admin = self.config.admin_port
        return [self.config.with_overrides(
            sip_port=self.config.sip_port + 1 + slot,
            media_ports=(low + slot * share, low + (slot + 1) * share - 1),
            admin_port=admin + 1 + slot if admin else 0) for slot in range(self.processes)]

    # -- life cycle ---------------------------------------------------------------------
    def run(self) -> int:
        plans, diagnostics, sources = load_plan_set(self.folder)
        if plans is None:
            print(format_text(diagnostics, sources.texts), flush=True)
            return 1
        gc.collect()
        gc.freeze()  # what the parent loaded stays shared with every forked worker
        book_path = self.workdir / "queues.sock"
        queues = serve_queue_book(QueueBook(), book_path)  # survives any worker's restart
        self.config = self.config.with_overrides(queue_socket=book_path)
        self.workers = [Worker(slot, config) for slot, config in enumerate(self.worker_configs())]
        if not self._await_ready([self._fork(worker) for worker in self.workers]):
            log.error("not every worker started")
            self.stopping = True
            return self._shutdown() or 1
        self._start_proxy()
        self._install_signals()
        admin = serve_pool_admin(self, self.config.admin_port) if self.config.admin_port \
            else None
        seen = fingerprint(self.folder)
        print(f"ready: sip {self.config.bind}:{self.config.sip_port} "
              f"({self.processes} processes behind kamailio)", flush=True)
        while not self.stopping:
            self.wake.wait(0.5)
            self.wake.clear()
            self._reap()
            now = fingerprint(self.folder)
            if now != seen:
                seen, self.reload_wanted = now, True
            if self.reload_wanted:
                self.reload_wanted = False
                self._reload()
        if admin is not None:
            admin.shutdown()
        code = self._shutdown()
        queues.shutdown()
        return code

    def _fork(self, worker: Worker) -> int:
        """Fork `worker`; returns the read end of its readiness pipe."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: its own engine, never returns here
            os.close(read_end)
            os._exit(run_worker(self.folder, worker.config, write_end))
        os.close(write_end)
        worker.pid, worker.started = pid, time.monotonic()
        log.info("worker %d started: pid %d, sip %d", worker.slot, pid, worker.config.sip_port)
        return read_end

    @staticmethod
    def _await_ready(read_ends: list[int], timeout: float = 60.0) -> bool:
        """Whether every worker said it takes calls within `timeout`."""
        deadline = time.monotonic() + timeout
        pending = set(read_ends)
        while pending and time.monotonic() < deadline:
            ready, _, _ = select.select(list(pending), [], [], 0.5)
            for fd in ready:
                os.read(fd, 1)
                os.close(fd)
                pending.discard(fd)
        for fd in pending:
            os.close(fd)
        return not pending

    def _start_proxy(self) -> None:
        settings = ProxySettings(self.config.bind, self.config.sip_port,
                                 tuple(w.config.sip_port for w in self.workers),
                                 self.workdir / "dispatcher.list")
        path = write_files(settings, self.workdir)
        log.info("kamailio configuration: %s (dispatcher list beside it)", path)
        self.proxy = subprocess.Popen(["kamailio", "-DD", "-E", "-f", str(path)],
                                      stdout=subprocess.DEVNULL,
                                      stderr=(self.workdir / "kamailio.log").open("wb"))
        if not answers_options(self.config.bind, self.config.sip_port):
            log.error("kamailio does not answer on %s:%d (see %s)", self.config.bind,
                      self.config.sip_port, self.workdir / "kamailio.log")

    def _install_signals(self) -> None:
        def stop(*_: object) -> None:
            self.stopping = True
            self.wake.set()

        def reload(*_: object) -> None:
            self.reload_wanted = True
            self.wake.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)
        signal.signal(signal.SIGCHLD, lambda *_: self.wake.set())

    # -- events ---------------------------------------------------------------------------
    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            worker = next((w for w in self.workers if w.pid == pid), None)
            if worker is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            if code == EXIT_RECYCLE:
                worker.recycled += 1
                log.info("worker %d recycled (engine asked for a fresh process)", worker.slot)
            else:
                worker.restarts += 1
                log.error("worker %d (pid %d) died with %d; restarting", worker.slot, pid, code)
            quick = time.monotonic() - worker.started < QUICK_DEATH
            worker.failures = worker.failures + 1 if quick and code != EXIT_RECYCLE else 0
            if worker.failures:
                time.sleep(min(MAX_BACKOFF, 0.25 * 2 ** worker.failures))
            os.close(self._fork(worker))  # the proxy skips it until it answers OPTIONS

    def _reload(self) -> None:
        plans, diagnostics, sources = load_plan_set(self.folder)
        if plans is None:
            log.error("reload refused for every process:\n%s",
                      format_text(diagnostics, sources.texts))
            return
        log.info("reload checked (%s): switching %d processes", plans.versions(),
                 len(self.workers))
        for worker in self.workers:
            os.kill(worker.pid, signal.SIGHUP)

    def _shutdown(self) -> int:
        for worker in self.workers:
            _signal(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.config.drain_timeout + 5
        for worker in self.workers:
            _wait(worker.pid, deadline)
        if self.proxy is not None:
            self.proxy.terminate()
            try:
                self.proxy.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
                self.proxy.wait()
        log.info("pool stopped")
        return 0


def fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any plan file is saved, added or removed. The supervisor polls
    it twice a second: it runs no event loop, and a poll cannot miss an early edit."""
    entries = []
    for path in sorted(folder.rglob("*.dialplan")):
        with contextlib.suppress(OSError):
            status = path.stat()
            entries.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(entries)


def answers_options(host: str, port: int, timeout: float = 10.0) -> bool:
    """Whether a SIP OPTIONS to host:port gets an answer within `timeout` seconds."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        sock.settimeout(0.2)
        local = sock.getsockname()[1]
        request = (f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
                   f"Via: SIP/2.0/UDP {host}:{local};branch=z9hG4bK{os.getpid()}{local}\r\n"
                   f"From: <sip:probe@{host}>;tag=probe\r\nTo: <sip:{host}:{port}>\r\n"
                   f"Call-ID: probe-{local}@{host}\r\nCSeq: 1 OPTIONS\r\n"
                   "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sock.sendto(request, (host, port))
            try:
                if sock.recv(2048).startswith(b"SIP/2.0"):
                    return True
            except (TimeoutError, ConnectionRefusedError):
                time.sleep(0.05)
    return False


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _wait(pid: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.05)
    _signal(pid, signal.SIGKILL)
