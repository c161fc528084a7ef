"""What the Kamailio edge needs to be a trunk's client (trunks-*.cfg.j2 in
dialplan/proxy): each trunk with its password read, and the uac module's registration
table written as a db_text folder beside the configuration.

The password lives in two files only, both 0600 in the proxy's own folder: the
configuration (for uac_auth on INVITEs, as AVPs in the failure route) and the `uacreg`
table (for uac_reg, which REGISTERs and keeps the registration alive). Nothing the
engines or the plans see holds it.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .settings import PasswordMissing, Trunk, TrunkError, trunks_from_document

log = logging.getLogger("dialplan.trunks")

UACREG_COLUMNS = ("id(int,auto) l_uuid(string) l_username(string) l_domain(string) "
                  "r_username(string) r_domain(string) realm(string) auth_username(string) "
                  "auth_password(string) auth_ha1(string,null) auth_proxy(string) "
                  "expires(int) flags(int) reg_delay(int) contact_addr(string,null) "
                  "socket(string,null)")
VERSION_COLUMNS = "id(int,auto) table_name(string) table_version(int)"
UACREG_VERSION = 5  # Kamailio 5.6's uacreg schema


@dataclass(frozen=True)
class EdgeTrunk:
    trunk: Trunk
    password: str = field(default="", repr=False)  # never in a log line
    out_of_service: str = ""  # why not (its password is missing); "": in service

    @classmethod
    def of(cls, trunk: Trunk) -> EdgeTrunk:
        """`trunk` with its password read; out of service (logged) when the password is
        not there, a TrunkError when it is there but cannot be used."""
        try:
            return cls(trunk, trunk.password())
        except PasswordMissing as missing:
            log.warning("%s: trunk %s is out of service, its calls take `failed` "
                        "(docs/pbx.md, Trunks)", missing, trunk.name)
            return cls(trunk, out_of_service=str(missing))

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


def _escaped(value: str) -> str:
    """A db_text field: `:` separates fields, so it (and `\\`) is escaped."""
    return value.replace("\\", "\\\\").replace(":", "\\:")


def uacreg_row(index: int, edge: EdgeTrunk, contact: str) -> str:
    trunk = edge.trunk
    fields = [str(index), edge.name, trunk.username, edge.domain, trunk.username,
              edge.domain, trunk.realm or edge.domain, trunk.username, edge.password, "",
              f"sip:{trunk.registrar_address}", str(trunk.expires), "0", "0",
              contact, ""]
    return ":".join(_escaped(f) for f in fields)


def write_uacreg(folder: Path, trunks: tuple[EdgeTrunk, ...], contact: str) -> Path:
    """The db_text folder uac_reg loads (`uacreg` and `version`), mode 0600; only the
    trunks that register are in it. Returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    rows = [uacreg_row(i, t, contact) for i, t in enumerate(trunks, 1)
            if t.trunk.register and not t.out_of_service]
    for name, text in (("uacreg", "\n".join([UACREG_COLUMNS, *rows]) + "\n"),
                       ("version", f"{VERSION_COLUMNS}\n1:uacreg:{UACREG_VERSION}\n")):
        path = folder / name
        path.touch(mode=0o600)
        os.chmod(path, 0o600)
        path.write_text(text)
    return folder


def edge_trunks(path: Path) -> tuple[EdgeTrunk, ...]:
    """The `[trunks.NAME]` of the TOML file `path` with their passwords read, for the
    edge (a trunk without its password out of service); a ServeConfigError-shaped
    ValueError (file, table, setting) if one is wrong."""
    try:
        document = tomllib.loads(path.read_text())
        return tuple(EdgeTrunk.of(t) for t in trunks_from_document(document, path.parent))
    except (OSError, tomllib.TOMLDecodeError, TrunkError) as error:
        raise ValueError(f"{path}: {error}") from error
