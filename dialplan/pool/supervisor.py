"""Theory of operation: many engine processes behind Kamailio.

One pjsua2 process holds 4 calls, so `dialplan serve --processes N` runs N workers, each
a full service (its own endpoint, SIP port and RTP range), with Kamailio in front on the
public port spreading calls by load (or, with `--proxy none`, no proxy: the operator's
own Kamailio or `dialplan proxy` dispatches to several hosts). The supervisor (this
module) imports everything, freezes the GC and only then forks, so workers share the
code pages. It runs no event loop itself: it forks, waits for signals, and acts:

- a worker that dies is forked again into its slot (its calls are lost, counted from
  the load board, and its callers leave every queue); one whose event loop stops
  beating for `hung_after` seconds is hung, and is killed to be replaced the same way;
- a worker retires: it leaves the proxy's rotation (so no INVITE reaches it while it
  shuts down), drains without hurry (SIGUSR1), exits, and a fresh process takes its
  slot and its place in the rotation. That happens when its engine is worn out (the
  wheel leaks a bridge slot per call) and, slot by slot, in a rolling restart (SIGUSR2
  or POST /restart): the next retires only once the last one's successor is ready;
  no call is lost;
- a reload (a plan file changed, seen by polling, or SIGHUP) is checked here once; only a
  clean plan set is published (published_plans.py) and every worker reloads exactly
  that (a worker never reads the folder), so a broken edit switches none;
- Kamailio is watched and restarted when it exits; a worker that exits leaves its
  dispatcher list, its successor joins under a fresh identity (pool_proxy.py);
- SIGTERM drains every worker, then stops Kamailio last.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.proxy.options import ProxyOptions
from dialplan.runtime.notify import Notifier
from dialplan.runtime.published_plans import check_and_publish
from dialplan.runtime.run import EXIT_RECYCLE

from .admin import serve_pool_admin
from .metrics import forget_process
from .proxy import PoolProxy, only_from_proxy, open_proxy
from .queues import PoolQueues
from .retire import Retirements
from .workers import (
    LoadBoard,
    Worker,
    await_ready,
    fingerprint,
    fork_worker,
    kill_hung,
    send_signal,
    slot_configs,
    wait_exit,
)

log = logging.getLogger("dialplan.pool")
QUICK_DEATH = 10.0  # seconds: a worker dying sooner than this is failing, not worn out
MAX_BACKOFF = 10.0


@dataclass
class Pool:
    folder: Path
    config: ServeConfig
    processes: int
    workdir: Path
    with_proxy: bool = True
    proxy_control: str | None = None  # an external proxy's control address (no proxy)
    proxy_options: ProxyOptions = field(default_factory=ProxyOptions)
    workers: list[Worker] = field(default_factory=list)
    proxy: PoolProxy = field(default_factory=lambda: PoolProxy(None, None))
    wake: threading.Event = field(default_factory=threading.Event)
    reload_wanted: bool = False
    restart_wanted: bool = False
    stopping: bool = False
    lost_calls: int = 0
    hung_kills: int = 0

    def __post_init__(self) -> None:
        self.board = LoadBoard(self.processes)
        self.retirements = Retirements(self.board)
        node = self.config.node or f"{socket.gethostname()}/{self.config.bind}:" \
                                    f"{self.config.sip_port}"
        self.published = self.workdir / "plans.json"  # what workers load: never the folder
        self.config = self.config.with_overrides(node=node, plan_snapshot=self.published)
        self.queues = PoolQueues(self.config, self.workdir / "queues.sock")
        self.notifier = Notifier()

    # -- life cycle ---------------------------------------------------------------------
    def run(self) -> int:
        """Serve until SIGTERM; whatever goes wrong, no worker or proxy outlives this."""
        try:
            return self._run()
        except Exception:
            log.exception("the pool failed: stopping its processes")
            self.stopping = True
            self._shutdown()
            self.queues.stop()
            return 1

    def _run(self) -> int:
        seen = fingerprint(self.folder)  # before the check: a save after it reloads
        checked = check_and_publish(self.folder, self.published)
        if isinstance(checked, str):
            print(checked, flush=True)
            return 1
        gc.collect()
        gc.freeze()  # what the parent loaded stays shared with every forked worker
        self.config = self.queues.start()  # survives any worker's restart
        self.config = only_from_proxy(self.config) if self.with_proxy else self.config
        self.workers = [Worker(slot, config) for slot, config
                        in enumerate(slot_configs(self.config, self.processes))]
        if not await_ready([self._fork(worker) for worker in self.workers]):
            log.error("not every worker started")
            self.stopping = True
            return self._shutdown() or 1
        self.proxy = open_proxy(self.config, self.workers, self.workdir, self.with_proxy,
                                self.proxy_control, self.proxy_options)
        self.retirements.control = self.proxy.control
        self._install_signals()
        admin = serve_pool_admin(self) if self.config.admin_port else None
        self._announce()
        while not self.stopping:
            self.wake.wait(0.5)
            self.wake.clear()
            self._reap()
            self._kill_hung()
            self.proxy.step()
            now = fingerprint(self.folder)
            if now != seen:
                seen, self.reload_wanted = now, True
            if self.reload_wanted:
                self.reload_wanted = False
                self._reload()
            if self.restart_wanted:
                self.restart_wanted = False
                self.retirements.restart_all(self.workers)
            self.retirements.step(self.workers)
        self.notifier.stopping(f"draining {len(self.workers)} processes")
        if admin is not None:
            admin.stop()
        code = self._shutdown()
        self.queues.stop()
        return code

    def proxy_health(self) -> dict[str, object]:
        """Kamailio's state for the health page and metrics: up, pid, restarts, ..."""
        return self.proxy.state()

    def _announce(self) -> None:
        if self.with_proxy:
            ready = (f"ready: sip {self.config.bind}:{self.config.sip_port} "
                     f"({self.processes} processes behind kamailio)")
        else:
            first, last = self.workers[0].config.sip_port, self.workers[-1].config.sip_port
            ready = (f"ready: sip {self.config.bind}:{first}-{last} ({self.processes} "
                     f"processes, no proxy: dispatch to them with `dialplan proxy --to "
                     f"{self.config.bind}:{first}-{last}`)")
        print(ready, flush=True)
        self.notifier.ready(ready)

    def _fork(self, worker: Worker) -> int:
        read_end = fork_worker(self.folder, worker, self.board)
        log.info("worker %d started: pid %d, sip %d", worker.slot, worker.pid,
                 worker.config.sip_port)
        return read_end

    def request_restart(self) -> None:
        """A rolling restart of every worker (SIGUSR2 or the admin endpoint)."""
        self.restart_wanted = True
        self.wake.set()

    def request_reload(self) -> None:
        """A checked reload of every worker (SIGHUP or the admin endpoint)."""
        self.reload_wanted = True
        self.wake.set()

    def _install_signals(self) -> None:
        def stop(*_: object) -> None:
            self.stopping = True
            self.wake.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, lambda *_: self.request_reload())
        signal.signal(signal.SIGUSR2, lambda *_: self.request_restart())
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
            if self.proxy.reaped(pid, os.waitstatus_to_exitcode(status)) or self.stopping:
                continue
            worker = next((w for w in self.workers if w.pid == pid), None)
            if worker is None:
                continue
            self._replace(worker, os.waitstatus_to_exitcode(status))

    def _kill_hung(self) -> None:
        self.hung_kills += kill_hung(self.workers, self.board, self.config.hung_after)

    def _replace(self, worker: Worker, code: int) -> None:
        self.queues.forget(worker.pid)
        forget_process(worker.pid)
        self.proxy.left(worker)
        reason = self.retirements.ended(worker)
        if reason is not None:
            worker.recycled += 1
            log.info("worker %d retired (%s)", worker.slot, reason)
        elif code == EXIT_RECYCLE:  # it left by itself (SIGUSR1 from someone else)
            worker.recycled += 1
            log.info("worker %d recycled", worker.slot)
        else:
            lost = self.board.read(worker.slot)
            worker.restarts += 1
            self.lost_calls += lost
            log.error("worker %d (pid %d) died with %d, %d call(s) lost; restarting",
                      worker.slot, worker.pid, code, lost)
        quick = time.monotonic() - worker.started < QUICK_DEATH
        worker.failures = worker.failures + 1 if quick and code != EXIT_RECYCLE else 0
        if worker.failures:
            time.sleep(min(MAX_BACKOFF, 0.25 * 2 ** worker.failures))
        ready = self._fork(worker)  # the proxy skips it until it answers OPTIONS
        if reason is None:
            self.proxy.join_when_ready(worker, ready)
        else:  # the next retires only once this one took over
            self.retirements.back(worker, await_ready([ready]))

    def _reload(self) -> None:
        checked = check_and_publish(self.folder, self.published)
        if isinstance(checked, str):
            log.error("reload refused for every process:\n%s", checked)
            return
        log.info("reload checked (%s, digest %s): switching %d processes",
                 checked.versions(), checked.digest, len(self.workers))
        for worker in self.workers:
            send_signal(worker.pid, signal.SIGHUP)

    def _shutdown(self) -> int:
        for worker in self.workers:
            send_signal(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.config.drain_timeout + 5
        for worker in self.workers:
            wait_exit(worker.pid, deadline)
        self.proxy.stop()
        log.info("pool stopped")
        return 0
