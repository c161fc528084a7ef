"""The pool's side of its proxy: its own Kamailio (watched and restarted, proxy.py) and
the dispatcher list it changes through Kamailio's control socket (proxy_control.py),
which may also be another host's proxy (`--proxy-control`).

Every process that exits leaves the list at once, and its successor joins under a fresh
identity only once it is ready: no INVITE goes to a port where nothing listens, and the
calls lost with a dead process (counted by the proxy until their BYE, which never comes)
do not count against the one that replaces it.
"""

from __future__ import annotations

import os
import select
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.proxy.control import ProxyControl
from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.options import ProxyOptions
from dialplan.proxy.process import ProxyWatch

from .retire import destination
from .workers import Worker


def only_from_proxy(config: ServeConfig) -> ServeConfig:
    """Workers behind the pool's own Kamailio take INVITEs from its address only (it
    sends from the address it listens on), so nobody reaches them past it. An operator's
    `trusted_sources` wins; a wildcard bind says nothing of where Kamailio sends from."""
    if config.trusted_sources is not None or config.bind in ("0.0.0.0", "::"):
        return config
    return config.with_overrides(trusted_sources=(config.bind,))


def open_proxy(config: ServeConfig, workers: list[Worker], workdir: Path, own: bool,
               control: str | None, options: ProxyOptions) -> PoolProxy:
    """The pool's own Kamailio, started (`own`), or another host's proxy by its control
    address (if any)."""
    if not own:
        return PoolProxy(None, ProxyControl(control) if control else None)
    address = f"unix:{workdir / 'kamailio.ctl'}"
    watch = ProxyWatch(ProxySettings(
        config.bind, config.sip_port, tuple(destination(w) for w in workers),
        workdir / "dispatcher.list", control=address, **options.settings()), workdir)
    watch.start()
    return PoolProxy(watch, ProxyControl(address))


class PoolProxy:
    def __init__(self, watch: ProxyWatch | None, control: ProxyControl | None) -> None:
        self.watch, self.control = watch, control
        self.joining: dict[int, Worker] = {}  # readiness pipe -> successor not yet ready

    def reaped(self, pid: int, code: int) -> bool:
        """Whether `pid` was Kamailio (and is now being restarted)."""
        if self.watch is None or pid != self.watch.pid or pid == 0:
            return False
        self.watch.exited(code)
        return True

    def left(self, worker: Worker) -> None:
        if self.control is not None:
            self.control.remove(destination(worker))

    def join_when_ready(self, worker: Worker, ready_fd: int) -> None:
        self.joining[ready_fd] = worker

    def joined(self, worker: Worker) -> None:
        """`worker`'s successor is ready: into the rotation, counting no calls."""
        if self.control is not None:
            self.control.renew(destination(worker))

    def step(self) -> None:
        if self.watch is not None:
            self.watch.step()
        if not self.joining:
            return
        ready, _, _ = select.select(list(self.joining), [], [], 0)
        for fd in ready:
            worker = self.joining.pop(fd)
            try:
                said = os.read(fd, 1)
            finally:
                os.close(fd)
            if said:
                self.joined(worker)
            # else it died before it was ready: the reaper forks the next one

    def state(self) -> dict[str, object]:
        """The proxy as health and metrics show it."""
        if self.watch is None:
            return {"managed": False, "control": self.control is not None}
        return {"managed": True, **self.watch.state()}

    def stop(self) -> None:
        for fd in self.joining:
            os.close(fd)
        self.joining.clear()
        if self.watch is not None:
            self.watch.stop()
