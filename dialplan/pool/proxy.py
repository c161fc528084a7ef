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
    if not own:
        return PoolProxy(None, ProxyControl(control) if control else None)
    address = f"unix:{workdir / 'kamailio.ctl'}"
    settings = ProxySettings(
        config.bind, config.sip_port, tuple(destination(w) for w in workers),
        workdir / "dispatcher.list", control=address, **options.settings())
    watch = ProxyWatch(settings, workdir)
    watch.start()
    own_control = ProxyControl(address)
    refresh = TrunkRefresh(settings.trunks, trunk_folder(settings), trunk_contact(settings),
                           own_control.reload_trunks) if settings.trunks else None
    return PoolProxy(watch, own_control, refresh)


class PoolProxy:
    def __init__(self, watch: ProxyWatch | None, control: ProxyControl | None,
                 refresh: TrunkRefresh | None = None) -> None:
        self.watch, self.control, self.refresh = watch, control, refresh

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
        if self.refresh is not None:
            self._use(self.refresh.step())

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
        if self.watch is not None:
            self.watch.stop()
