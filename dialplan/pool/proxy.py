"""The pool's side of its proxy: its own Kamailio (watched and restarted, proxy.py), the
dispatcher list it changes through Kamailio's control socket (proxy_control.py), which
may also be another host's proxy (`--proxy-control`), and its trunks' passwords, read
again every few seconds and on a reload (dialplan/trunks/refresh.py).

Every process that exits leaves the list at once, and its successor joins under a fresh
identity only once it is ready: no INVITE goes to a port where nothing listens, and the
calls lost with a dead process (counted by the proxy until their BYE, which never comes)
do not count against the one that replaces it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.proxy.control import ProxyControl
from dialplan.proxy.kamailio import ProxySettings, trunk_contact, trunk_folder
from dialplan.proxy.options import ProxyOptions
from dialplan.proxy.process import ProxyWatch
from dialplan.trunks.edge import EdgeTrunk
from dialplan.trunks.refresh import TrunkRefresh

from .retire import destination
from .workers import Worker

log = logging.getLogger("dialplan.pool")
REPORT_EVERY = 10.0  # s between looks at the proxy's refusal counters (one kamcmd each)


def only_from_proxy(config: ServeConfig) -> ServeConfig:
    """Workers behind the pool's own Kamailio take INVITEs from its address only (it
    sends from the address it listens on), so nobody reaches them past it, and believe
    the caller's extension it vouches for (it removes any a caller wrote). An operator's
    settings win; a wildcard bind says nothing of where Kamailio sends from."""
    if config.bind in ("0.0.0.0", "::"):
        return config
    return config.with_overrides(
        trusted_sources=config.trusted_sources or (config.bind,),
        identity_sources=config.identity_sources or (config.bind,),
        registrar=config.registrar or f"{config.bind}:{config.sip_port}")


def open_proxy(config: ServeConfig, workers: list[Worker], workdir: Path, own: bool,
               control: str | None, options: ProxyOptions) -> PoolProxy:
    """The pool's own Kamailio, started (`own`), or another host's proxy by its control
    address (if any)."""
    load = max_load(config)
    if not own:
        return PoolProxy(None, ProxyControl(control, load) if control else None)
    address = f"unix:{workdir / 'kamailio.ctl'}"
    settings = ProxySettings(
        config.bind, config.sip_port, tuple(destination(w) for w in workers),
        workdir / "dispatcher.list", max_load=load, control=address, **options.settings())
    watch = ProxyWatch(settings, workdir)
    watch.start()
    own_control = ProxyControl(address, load)
    refresh = TrunkRefresh(settings.trunks, trunk_folder(settings), trunk_contact(settings),
                           own_control.reload_trunks) if settings.trunks else None
    return PoolProxy(watch, own_control, refresh)


def max_load(config: ServeConfig) -> int:
    """Calls the proxy counts a process good for: the engine's 4, or `max_calls` if lower
    (a process offered more refuses it, and the proxy must try another)."""
    cap = ProxySettings.max_load
    return min(config.max_calls, cap) if config.max_calls > 0 else cap


class PoolProxy:
    def __init__(self, watch: ProxyWatch | None, control: ProxyControl | None,
                 refresh: TrunkRefresh | None = None) -> None:
        self.watch, self.control, self.refresh = watch, control, refresh
        self._refusals: dict[str, int] = {}
        self._next_report = time.monotonic() + REPORT_EVERY

    def reaped(self, pid: int, code: int) -> bool:
        """Whether `pid` was Kamailio (and is now being restarted)."""
        if self.watch is None or pid != self.watch.pid or pid == 0:
            return False
        self.watch.exited(code)
        return True

    def left(self, worker: Worker) -> None:
        if self.control is not None:
            self.control.remove(destination(worker))

    def joined(self, worker: Worker) -> None:
        """`worker`'s successor is ready: into the rotation, counting no calls."""
        if self.control is not None:
            self.control.renew(destination(worker))

    def step(self) -> None:
        if self.watch is not None:
            self.watch.step()
        if self.control is not None and time.monotonic() >= self._next_report:
            self._next_report = time.monotonic() + REPORT_EVERY
            self.report_refusals()
        if self.refresh is not None:
            self._use(self.refresh.step())

    def refusals(self) -> dict[str, int]:
        """The proxy's refusal counters now (empty without a proxy, or if it is down)."""
        return self.control.refusals() if self.control is not None else {}

    def report_refusals(self) -> None:
        """Log the calls refused since the last look: a caller turned away is news."""
        now = self.refusals()
        if not now:
            return
        edge, engine = (now.get(name, 0) - self._refusals.get(name, 0)
                        for name in ("edge_refusals", "engine_refusals"))
        self._refusals = now
        if edge > 0 or engine > 0:  # a restarted Kamailio counts from 0 again
            log.warning("the proxy refused %d call(s) with 503 (every process tried was "
                        "full) and moved %d offer(s) a process refused to the next one",
                        max(edge, 0), max(engine, 0))

    def refresh_trunks(self) -> None:
        """The trunks' passwords read again now (a reload: SIGHUP, /reload, a change)."""
        if self.refresh is not None:
            self._use(self.refresh.check())

    def _use(self, trunks: tuple[EdgeTrunk, ...] | None) -> None:
        """A Kamailio restarted from now on writes `trunks` (their passwords as now)."""
        if trunks is not None and self.watch is not None:
            self.watch.use_trunks(trunks)

    def state(self) -> dict[str, object]:
        """The proxy as health and metrics show it."""
        if self.watch is None:
            return {"managed": False, "control": self.control is not None}
        return {"managed": True, **self.watch.state()}

    def stop(self) -> None:
        if self.control is not None:
            self.report_refusals()  # the last ones too, before Kamailio forgets them
        if self.watch is not None:
            self.watch.stop()
