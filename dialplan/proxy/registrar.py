"""What the proxy needs to be the registrar and edge of a PBX (registrar.cfg.j2): the
directory's database as Kamailio names it, the digest realm, who is trusted without a
password, and the failed-authentication ban.

Kamailio reads the same database the directory writes (its own `subscriber`,
`location` and `version` tables, made by the directory's migrations): it authenticates
against the HA1 column (no plain password is stored or read), takes each extension's
`max_contacts` with it, and keeps registrations in `location` (usrloc_db_mode), so a
restart finds them and the usrloc timer drops expired ones. Nothing is copied.

Trust is by source address only: the engine processes (the dispatcher list, exact
address and port) and the trunks' networks (`trunk_sources`); anyone else must prove an
extension's password, and the proxy then stamps who it is (X-Dialplan-Extension) after
removing whatever identity headers the caller sent.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_REALM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,62}")


@dataclass(frozen=True)
class RegistrarSettings:
    db_url: str  # Kamailio's form (dialplan.directory.kamailio_db_url)
    realm: str = "dialplan"  # the digest realm the directory's HA1s were made with
    trunk_sources: tuple[str, ...] = ()  # networks whose INVITEs need no password
    domains: tuple[str, ...] = ()  # names phones use for us, besides our own address
    auth_failures: int = 5  # failed authentications from one address ...
    failure_window: int = 60  # ... each within this many seconds of the last ...
    ban_seconds: int = 300  # ... refuse that address this long
    min_expires: int = 60  # s: a shorter registration is stretched to this
    max_expires: int = 3600
    cleanup_interval: int = 10  # s between usrloc's sweeps (expiry; SQLite: writes too)
    nat_ping_interval: int = 30  # s between OPTIONS keepalives to phones behind NAT

    def __post_init__(self) -> None:
        for name in (self.realm, *self.domains):
            if not _REALM.fullmatch(name):
                raise ValueError(f"{name!r} is not a realm or domain name")
        for source in self.trunk_sources:
            ipaddress.ip_network(source, strict=False)  # raises ValueError
        if not self.db_url.startswith(("sqlite:///", "postgres://")) or '"' in self.db_url:
            raise ValueError("db_url must be Kamailio's sqlite:/// or postgres:// form")
        if min(self.auth_failures, self.failure_window, self.ban_seconds, self.min_expires,
               self.cleanup_interval, self.nat_ping_interval) < 1:
            raise ValueError("counts and intervals must be 1 or more")

    @property
    def db_module(self) -> str:
        return "db_sqlite" if self.db_url.startswith("sqlite") else "db_postgres"

    @property
    def usrloc_db_mode(self) -> int:
        """How usrloc keeps `location`. On PostgreSQL in the table only (3): nothing is
        cached, so every lookup sees every registration, also one made through another
        host's Kamailio, and a restart has nothing to load. (With a cache, the first SIP
        worker loads the table after the others already answer: measured, a registered
        phone got 480 for as long as that load took after each restart.) On SQLite
        write-back (2), by the timer process alone, every `cleanup_interval` and at
        shutdown: Kamailio's db_sqlite sets no busy timeout, so two of its processes
        writing at once fail with "database is locked" (seen at 50 REGISTER/s). A crash
        (not a TERM) loses that interval's registrations; the phones' next refresh
        brings them back."""
        return 2 if self.db_module == "db_sqlite" else 3

    @property
    def loads_location(self) -> bool:
        """Whether usrloc keeps a cache that the first SIP worker loads at start, while
        the others may already take requests (then the proxy drops requests until it is
        loaded: kamailio.cfg.j2)."""
        return self.usrloc_db_mode != 3

    @property
    def sqlite_file(self) -> str | None:
        """The SQLite file's path (for its journal mode), or None for PostgreSQL."""
        return self.db_url.removeprefix("sqlite://") if self.db_module == "db_sqlite" \
            else None

    @property
    def trunk_networks(self) -> str:
        """The trunks' networks as ipops' is_in_subnet takes them (comma-separated)."""
        return ",".join(str(ipaddress.ip_network(s, strict=False))
                        for s in self.trunk_sources)

