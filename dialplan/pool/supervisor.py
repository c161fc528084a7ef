"""The pool's supervisor: it starts the workers and the proxy, then waits for what
happens to them and acts (the theory of operation is the package's, __init__.py)."""

from __future__ import annotations

import logging
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.directory import Directory
from dialplan.proxy.options import ProxyOptions
from dialplan.runtime.notify import Notifier
from dialplan.runtime.plans import PlanSet
from dialplan.runtime.published_plans import check_and_publish

from .admin import serve_pool_admin
from .exits import count_exit, reaped
from .metrics import forget_process
from .prompts import render_prompts
from .proxy import PoolProxy, only_from_proxy, open_proxy
from .queues import PoolQueues
from .retire import Retirements
from .starts import Start, Starts
from .wakeup import Wakeup
from .warmup import freeze_for_fork
from .watch import PlanWatch
from .workers import (
    LoadBoard,
    Worker,
    await_ready,
    fork_worker,
    kill_hung,
    send_signal,
    slot_configs,
    wait_exits,
)

log = logging.getLogger("dialplan.pool")
TICK = 0.5  # seconds between hung checks and the proxy's steps


@dataclass
class Pool:
    folder: Path
    config: ServeConfig
    processes: int
    workdir: Path
    with_proxy: bool = True
    proxy_control: str | None = None  # an external proxy's control address (no proxy)
    proxy_options: ProxyOptions = field(default_factory=ProxyOptions)
    directory: Directory | None = None  # served on the admin endpoint's /users
    workers: list[Worker] = field(default_factory=list)
    proxy: PoolProxy = field(default_factory=lambda: PoolProxy(None, None))
    reload_wanted: bool = False
    restart_wanted: bool = False
    stopping: bool = False
    lost_calls: int = 0
    hung_kills: int = 0
    retirements: Retirements = field(init=False)  # made once the proxy it tells is open
    checked: PlanSet | None = None  # the published set, compiled: every fork shares it

    def __post_init__(self) -> None:
        self.board = LoadBoard(self.processes)
        node = self.config.node or f"{socket.gethostname()}/{self.config.bind}:" \
                                    f"{self.config.sip_port}"
        self.published = self.workdir / "plans.json"  # what workers load: never the folder
        self.config = self.config.with_overrides(node=node, plan_snapshot=self.published)
        self.queues = PoolQueues(self.config, self.workdir / "queues.sock")
        self.notifier = Notifier()
        self.wakeup = Wakeup()
        self.watch = PlanWatch(self.folder, self._changed)
        self.starts = Starts(self._fork, self._started)

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
        finally:
            self.watch.stop()
            self.wakeup.close()

    def _run(self) -> int:
        self.watch.start()  # before the check: a save while it runs reloads
        checked = check_and_publish(self.folder, self.published)
        if isinstance(checked, str):
            print(checked, flush=True)
            return 1
        self.checked = checked
        render_prompts(self.published, self.config.prompt_cache)
        freeze_for_fork()  # what the parent loaded stays shared with every forked worker
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
        self.retirements = Retirements(self.board, self.proxy.control)
        self._install_signals()
        control = self.proxy.control.address if self.proxy.control else None
        # behind another host's `dialplan proxy` (--proxy none), that one decides
        registrar = not self.with_proxy or self.proxy_options.registrar is not None
        admin = serve_pool_admin(self, self.directory, control, registrar) \
            if self.config.admin_port else None
        self._announce()
        next_tick = time.monotonic()
        while not self.stopping:
            readable = self.wakeup.wait(self.starts.fds(), self.starts.timeout(
                next_tick - time.monotonic()))
            self._reap()
            self.starts.step(readable)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + TICK
                self._kill_hung()
                self.proxy.step()
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

    def proxy_refusals(self) -> dict[str, int]:
        """The proxy's refusal counters, for metrics (one kamcmd at each scrape)."""
        return self.proxy.refusals()

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
        read_end = fork_worker(self.folder, worker, self.board, self.checked)
        log.info("worker %d started: pid %d, sip %d", worker.slot, worker.pid,
                 worker.config.sip_port)
        return read_end

    def request_restart(self) -> None:
        """A rolling restart of every worker (SIGUSR2 or the admin endpoint)."""
        self.restart_wanted = True
        self.wakeup.poke()

    def request_reload(self) -> None:
        """A checked reload of every worker (SIGHUP, the watcher or the admin endpoint)."""
        self.reload_wanted = True
        self.wakeup.poke()

    def _changed(self, names: list[str]) -> None:
        log.info("plans changed: %s", ", ".join(names))
        self.request_reload()

    def _install_signals(self) -> None:
        """Each handler only notes what is wanted; the wakeup fd wakes the loop."""
        def stop(*_: object) -> None:
            self.stopping = True

        self.wakeup.catch_signals()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, lambda *_: self.request_reload())
        signal.signal(signal.SIGUSR2, lambda *_: self.request_restart())
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that it wakes

    # -- events ---------------------------------------------------------------------------
    def _reap(self) -> None:
        for pid, code in reaped():
            if self.proxy.reaped(pid, code):
                continue
            worker = next((w for w in self.workers if w.pid == pid), None)
            if worker is None:
                continue
            if self.stopping:
                worker.pid = 0  # reaped: the shutdown does not wait for it
                continue
            self._replace(worker, code)

    def _kill_hung(self) -> None:
        self.hung_kills += kill_hung(self.workers, self.board, self.config.hung_after)

    def _replace(self, worker: Worker, code: int) -> None:
        self.queues.forget(worker.pid)
        forget_process(worker.pid)
        self.proxy.left(worker)
        reason = self.retirements.ended(worker)
        self.lost_calls += count_exit(worker, code, reason, self.board)
        self.starts.begin(worker, reason)  # the proxy skips it until it answers OPTIONS

    def _started(self, start: Start, ready: bool) -> None:
        """A successor is ready (or died first, or outlived its deadline)."""
        if start.reason is not None:  # the next retires only once this one took over
            self.retirements.back(start.worker, ready)
        elif ready:
            self.proxy.joined(start.worker)
        # else it died before it was ready: the reaper forks the next one

    def _reload(self) -> None:
        self.proxy.refresh_trunks()  # a password file that appeared: no restart needed
        checked = check_and_publish(self.folder, self.published)
        if isinstance(checked, str):
            log.error("reload refused for every process:\n%s", checked)
            return
        self.checked = checked  # what a worker forked from now on starts with
        render_prompts(self.published, self.config.prompt_cache)
        log.info("reload checked (%s, digest %s): switching %d processes",
                 checked.versions(), checked.digest, len(self.workers))
        for worker in self.workers:
            send_signal(worker.pid, signal.SIGHUP)

    def _shutdown(self) -> int:
        self.starts.close()
        for worker in self.workers:
            send_signal(worker.pid, signal.SIGTERM)
        wait_exits([w.pid for w in self.workers if w.pid],
                   time.monotonic() + self.config.drain_timeout + 5)
        self.proxy.stop()
        log.info("pool stopped")
        return 0
