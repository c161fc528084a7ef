"""The db_text tables the Kamailio edge reads its trunks from, in a 0700 folder beside
its configuration (kamailio.py's trunk_folder), every file 0600:

- `uacreg`: uac_reg's registrations (the trunks that register and have their password);
- `trunkauth`: an htable, trunk name -> password, for the answers to challenges
  (trunks-routes.cfg.j2): a trunk that needs a password and has none there is out of
  service (503);
- `version`: the schema version uac_reg checks.

They are the only place the passwords are kept: the configuration holds none, so a
password that appears, changes or goes away while Kamailio runs is taken in by
rewriting these files and asking Kamailio to reload them (refresh.py), no restart.
"""

from __future__ import annotations

import os
from pathlib import Path

from .edge import EdgeTrunk

UACREG_COLUMNS = ("id(int,auto) l_uuid(string) l_username(string) l_domain(string) "
                  "r_username(string) r_domain(string) realm(string) auth_username(string) "
                  "auth_password(string) auth_ha1(string,null) auth_proxy(string) "
                  "expires(int) flags(int) reg_delay(int) contact_addr(string,null) "
                  "socket(string,null)")
AUTH_COLUMNS = ("id(int,auto) key_name(string) key_type(int) value_type(int) "
                "key_value(string) expires(int)")  # htable's default columns
VERSION_COLUMNS = "id(int,auto) table_name(string) table_version(int)"
UACREG_VERSION = 5  # Kamailio 5.6's uacreg schema
AUTH_TABLE = "trunkauth"


def _escaped(value: str) -> str:
    """A db_text field: `:` separates fields, so it (and `\\`) is escaped."""
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _row(fields: list[str]) -> str:
    return ":".join(_escaped(f) for f in fields)


def uacreg_row(index: int, edge: EdgeTrunk, contact: str) -> str:
    trunk = edge.trunk
    return _row([str(index), edge.name, trunk.username, edge.domain, trunk.username,
                 edge.domain, trunk.realm or edge.domain, trunk.username, edge.password, "",
                 f"sip:{trunk.registrar_address}", str(trunk.expires), "0", "0",
                 contact, ""])


def tables(trunks: tuple[EdgeTrunk, ...], contact: str) -> dict[str, str]:
    """Each file's text: only the trunks in service are in `uacreg` and `trunkauth`."""
    registering = [uacreg_row(i, t, contact) for i, t in enumerate(trunks, 1)
                   if t.trunk.register and not t.out_of_service]
    passwords = [_row([str(i), t.name, "0", "0", t.password, "0"])
                 for i, t in enumerate(trunks, 1) if t.password and not t.out_of_service]
    return {"uacreg": "\n".join([UACREG_COLUMNS, *registering]) + "\n",
            AUTH_TABLE: "\n".join([AUTH_COLUMNS, *passwords]) + "\n",
            "version": f"{VERSION_COLUMNS}\n1:uacreg:{UACREG_VERSION}\n"}


def write_tables(folder: Path, trunks: tuple[EdgeTrunk, ...], contact: str) -> Path:
    """The db_text folder (mode 0700, its files 0600), each file replaced whole (a
    reader never sees half of one); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    for name, text in tables(trunks, contact).items():
        path, fresh = folder / name, folder / f".{name}.new"
        before = int(path.stat().st_mtime) if path.exists() else 0
        fresh.unlink(missing_ok=True)
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        if int(fresh.stat().st_mtime) <= before:  # db_text sees a change by whole seconds
            os.utime(fresh, (before + 1, before + 1))
        os.replace(fresh, path)
    return folder
