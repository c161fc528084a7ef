"""What the Kamailio edge needs to be a trunk's client (trunks-*.cfg.j2 in
dialplan/proxy): each trunk with its password read, or out of service for want of it.

The password is kept only in the db_text tables beside the edge's configuration
(tables.py, 0600 files in a 0700 folder): uac_reg's `uacreg` (it REGISTERs and keeps
the registration alive) and the `trunkauth` htable (uac_auth answers challenges with
it). Nothing the engines or the plans see holds it.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .settings import PasswordMissing, Trunk, TrunkError, trunks_from_document

log = logging.getLogger("dialplan.trunks")


@dataclass(frozen=True)
class EdgeTrunk:
    trunk: Trunk
    password: str = field(default="", repr=False)  # never in a log line
    out_of_service: str = ""  # why not (its password is missing); "": in service

    @classmethod
    def of(cls, trunk: Trunk) -> EdgeTrunk:
        """`trunk` with its password read; out of service (logged) when the password is
        not there, a TrunkError when it is there but cannot be used."""
        edge = cls.read(trunk)
        if edge.out_of_service:
            log.warning("%s: trunk %s is out of service, its calls take `failed` "
                        "(docs/pbx.md, Trunks)", edge.out_of_service, trunk.name)
        return edge

    @classmethod
    def read(cls, trunk: Trunk) -> EdgeTrunk:
        """`trunk` with its password read, out of service when it is missing (not
        logged); a TrunkError when it is there but cannot be used."""
        try:
            return cls(trunk, trunk.password())
        except PasswordMissing as missing:
            return cls(trunk, out_of_service=str(missing))

    @property
    def needs_password(self) -> bool:
        """Whether the trunk answers challenges with a password (so, without it, is out
        of service); one with no password source and none given calls unauthenticated."""
        trunk = self.trunk
        return bool(trunk.password_env or trunk.password_file or self.password)

    @property
    def name(self) -> str:
        return self.trunk.name

    @property
    def from_user(self) -> str:
        return self.trunk.from_user or self.trunk.username

    @property
    def domain(self) -> str:
        return self.trunk.domain or self.trunk.host

    @property
    def fr_timer_ms(self) -> int:
        """How long the edge waits for the trunk's first reply before the dial fails."""
        return int(self.trunk.timeout * 1000)


def edge_trunks(path: Path) -> tuple[EdgeTrunk, ...]:
    """The `[trunks.NAME]` of the TOML file `path` with their passwords read, for the
    edge (a trunk without its password out of service); a ServeConfigError-shaped
    ValueError (file, table, setting) if one is wrong."""
    try:
        document = tomllib.loads(path.read_text())
        return tuple(EdgeTrunk.of(t) for t in trunks_from_document(document, path.parent))
    except (OSError, tomllib.TOMLDecodeError, TrunkError) as error:
        raise ValueError(f"{path}: {error}") from error
