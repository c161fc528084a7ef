"""A trunk's password taken in while the service runs, no restart: a trunk out of
service because its password file was absent comes back once the file is there; a
password rotated in its file is used from then on; a file removed puts it out of
service.

Every few seconds (and at once on a reload: SIGHUP, the plan watcher, POST /reload)
the passwords of the trunks that have a source (`password_file`, `password_env`) are
read again. When one changed, the edge's tables are rewritten (tables.py) and Kamailio
is asked to reload them (`htable.reload trunkauth`, `uac.reg_reload`: the `reload`
given), so its challenges are answered with the new password and a trunk that came
back registers. A variable (`password_env`) cannot change under a running service: a
trunk waiting for one still needs a restart (docs/pbx.md, "Trunks").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from .edge import EdgeTrunk
from .settings import TrunkError
from .tables import write_tables

log = logging.getLogger("dialplan.trunks")
EVERY = 5.0  # seconds between two readings of the password files


def reread(edge: EdgeTrunk) -> EdgeTrunk:
    """`edge` with its password read again (one with no password source as it is); a
    password there but unusable (a file others may read) is out of service, said why."""
    trunk = edge.trunk
    if not (trunk.password_env or trunk.password_file):
        return edge
    try:
        return EdgeTrunk.read(trunk)
    except TrunkError as error:
        return EdgeTrunk(trunk, out_of_service=str(error))


def _said(old: EdgeTrunk, new: EdgeTrunk) -> None:
    if new.out_of_service:
        log.warning("%s: trunk %s is out of service, its calls take `failed`",
                    new.out_of_service, new.name)
    elif old.out_of_service:
        log.info("trunk %s is back in service: its password is there", new.name)
    else:
        log.info("trunk %s: its password changed, the edge uses the new one", new.name)


class TrunkRefresh:
    """The edge's trunks as last written, read again every `every` seconds."""

    def __init__(self, trunks: tuple[EdgeTrunk, ...], folder: Path, contact: str,
                 reload: Callable[[], bool], every: float = EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.trunks, self.folder, self.contact = trunks, folder, contact
        self.reload, self.every, self.clock = reload, every, clock
        self.next_check = clock() + every

    def step(self) -> tuple[EdgeTrunk, ...] | None:
        """When a check is due, `check()`; else None."""
        if self.clock() < self.next_check:
            return None
        return self.check()

    def check(self) -> tuple[EdgeTrunk, ...] | None:
        """The trunks read again: if any changed, the tables rewritten and reloaded, and
        the new trunks returned (for a restarted edge to write); else None."""
        self.next_check = self.clock() + self.every
        fresh = tuple(reread(edge) for edge in self.trunks)
        changed = [(old, new) for old, new in zip(self.trunks, fresh, strict=True)
                   if (old.password, old.out_of_service) != (new.password, new.out_of_service)]
        if not changed:
            return None
        write_tables(self.folder, fresh, self.contact)
        self.trunks = fresh
        if not self.reload():
            log.warning("the edge did not reload its trunks' tables: it takes them in when "
                        "it next starts")
        for old, new in changed:  # said once the edge has them
            _said(old, new)
        return fresh
