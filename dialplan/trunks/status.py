"""Each trunk's registration as Kamailio's uac_reg holds it, for the admin API
(`GET /trunks`) and the metrics (`dialplan_trunk_registered{trunk="NAME"}`).

Asked through the edge's control socket (`kamcmd uac.reg_dump`) at each request: the
edge keeps the registrations, so nothing here can go stale. That dump holds the
passwords too; only the trunk's name, its flags and the seconds left are read from it.
Flags are uac_reg's bits: 1 disabled, 2 a REGISTER under way, 4 registered. A trunk
whose password is missing is out of service (the edge answers its calls 503), said with
the reason; the password itself is never shown.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from prometheus_client.core import GaugeMetricFamily, Metric

from .settings import Trunk

_RECORD = re.compile(r"l_uuid: (\S+).*?flags: (\d+).*?diff_expires: (-?\d+)", re.DOTALL)
DISABLED, ONGOING, ONLINE = 1, 2, 4


def registrations(control: str) -> dict[str, tuple[int, int]] | None:
    """Trunk name -> (flags, seconds until it expires); None if the edge does not
    answer."""
    try:
        done = subprocess.run(["kamcmd", "-s", control, "uac.reg_dump"], capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return {name: (int(flags), int(left)) for name, flags, left in _RECORD.findall(done.stdout)}


def describe(trunk: Trunk, found: dict[str, tuple[int, int]] | None) -> dict[str, Any]:
    """One trunk as `/trunks` shows it (never its password)."""
    shown: dict[str, Any] = {"name": trunk.name, "proxy": trunk.proxy,
                             "register": trunk.register, "sources": list(trunk.sources)}
    if (missing := trunk.missing_password()) is not None:
        return shown | {"state": "out of service", "reason": missing}
    if not trunk.register:
        return shown | {"state": "not registering"}
    if found is None:
        return shown | {"state": "unknown: the edge does not answer"}
    flags, left = found.get(trunk.name, (0, -1))
    state = ("disabled" if flags & DISABLED else "registered" if flags & ONLINE
             else "registering" if flags & ONGOING else "not registered")
    return shown | {"state": state, "expires_in": max(left, 0) if flags & ONLINE else None}


class TrunkStatus:
    """`/trunks` and the trunk gauges, over the edge at `control` (`unix:PATH`)."""

    def __init__(self, trunks: tuple[Trunk, ...], control: str) -> None:
        self.trunks, self.control = trunks, control

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/trunks", self.page)]

    def now(self) -> list[dict[str, Any]]:
        found = registrations(self.control)
        return [describe(trunk, found) for trunk in self.trunks]

    async def page(self, request: web.Request) -> web.Response:
        return web.json_response({"trunks": await asyncio.to_thread(self.now)})

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("dialplan_trunk_registered",
                                  "The trunk's registration with its provider is up (1)",
                                  labels=["trunk"])
        for shown in self.now():
            if shown["register"]:
                gauge.add_metric([shown["name"]], int(shown["state"] == "registered"))
        yield gauge
