"""The Kamailio configuration in front of a pool of engine processes.

Each engine process holds at most 4 calls (the pjsua2 wheel's compiled cap), so the
proxy spreads INVITEs by call load (dispatcher algorithm 10, `maxload=4` a process),
keeps ACK and BYE on the proxy (record-route) so the load count stays right, answers
503 itself when every process is full, retries another process at most twice on
486/408/5xx and then answers 503 itself (a process's refusal never reaches the caller),
and probes each process with OPTIONS so a dead one is skipped. Choices and
traps are those measured in ../shared/notes/pjsua2.md. The configuration itself is the
template kamailio.cfg.j2 beside this module; what its routing script lets through (and
why) is written atop it.

A call's load is released on every path: its BYE (either side), a refusal, a timeout
or a CANCEL (the failure route), and, as a safety net for a BYE that never comes, the
dispatcher's own expiry of the call's entry. A process that dies or is replaced gets a
fresh identity in the list from its supervisor (proxy.py), so its lost calls do not
count against its successor.

With `registrar` settings (the directory has extensions), the same Kamailio is the PBX's
registrar and edge: registrar.py says what it needs, registrar-routes.cfg.j2 what it does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined

from dialplan.trunks.edge import EdgeTrunk
from dialplan.trunks.tables import write_tables

from .registrar import RegistrarSettings

MODULES = ("tm", "tmx", "sl", "rr", "pv", "maxfwd", "textops", "siputils", "xlog", "sanity",
           "pike", "dispatcher", "statistics", "kex")  # kex: stats.get_statistics
REGISTRAR_MODULES = ("kex", "auth", "auth_db", "usrloc", "registrar", "nathelper", "htable",
                     "ipops")
TRUNK_MODULES = ("uac", "ipops", "htable")  # and db_text first: trunks/tables.py
MODULE_DIR = "/usr/lib/x86_64-linux-gnu/kamailio/modules"
UNANSWERED_EXPIRY = 60  # s: a call's load entry that never got a 2xx (INVITE timer is 40 s)
TEMPLATES = files("dialplan.proxy")  # kamailio.cfg.j2 and its parts: package data


@dataclass(frozen=True)
class ProxySettings:
    listen: str  # "127.0.0.1"
    port: int
    destinations: tuple[str, ...]  # "host:port" of each engine process, on any host
    list_file: Path  # where the dispatcher list is written
    max_load: int = 4
    failover: int = 2  # other processes tried after the first; 1-2 (12-branch limit)
    ping_interval: int = 2  # seconds between OPTIONS probes
    control: str | None = None  # `unix:PATH` or `tcp:HOST:PORT` for kamcmd (see proxy.py)
    flood_limit: int = 1000  # requests a second from one address (engines exempt); 0: off
    max_call_seconds: int = 14400  # a call's load is released after this, BYE or not
    tls_port: int = 0  # SIP over TLS on this port of `listen` (0: none)
    certificate: Path | None = None  # PEM; with tls_port (generated if None: proxy_tls.py)
    private_key: Path | None = None
    secret: str = field(default_factory=lambda: secrets.token_hex(16))  # dialog keys
    registrar: RegistrarSettings | None = None  # the directory has extensions
    trunks: tuple[EdgeTrunk, ...] = ()  # [trunks.NAME] of dialplan.toml (dialplan/trunks)

    @property
    def stop_timeout(self) -> float:
        """Seconds Kamailio gets to stop on SIGTERM: a registrar writes its registrations
        back first (1,000 on SQLite: about 3 s on this machine)."""
        return 30.0 if self.registrar else 5.0


def dispatcher_list(settings: ProxySettings) -> str:
    lines = ["# setid destination flags priority attributes"]
    for index, destination in enumerate(settings.destinations, start=1):
        lines.append(f"1 sip:{destination} 0 0 duid=p{index};"
                     f"maxload={settings.max_load}")
    return "\n".join(lines) + "\n"


def config(settings: ProxySettings) -> str:
    """The configuration for `settings`, rendered from kamailio.cfg.j2."""
    if settings.tls_port and (settings.certificate is None or settings.private_key is None):
        raise ValueError("TLS needs a certificate and a private key")
    registrar = settings.registrar
    modules = ((registrar.db_module,) if registrar else ()) \
        + (("db_text",) if settings.trunks else ()) + MODULES \
        + (REGISTRAR_MODULES if registrar else ()) \
        + (("ctl",) if settings.control else ()) + (("tls",) if settings.tls_port else ()) \
        + (TRUNK_MODULES if settings.trunks else ())
    modules = tuple(dict.fromkeys(modules))  # once each (ipops, htable: both)
    environment = Environment(loader=FunctionLoader(lambda name: (TEMPLATES / name)
                                                    .read_text()),
                              undefined=StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True,
                              autoescape=False)
    template = environment.get_template("kamailio.cfg.j2")
    return template.render(s=settings, r=registrar, modules=modules,
                           module_dir=MODULE_DIR, unanswered_expiry=UNANSWERED_EXPIRY,
                           trunks=settings.trunks, trunk_db=trunk_folder(settings))


def trunk_folder(settings: ProxySettings) -> Path:
    """The db_text folder of the trunks' tables (trunks/tables.py), beside the list."""
    return settings.list_file.parent / "trunks"


def trunk_contact(settings: ProxySettings) -> str:
    """The address the trunks' registrations give as their contact."""
    return f"{settings.listen}:{settings.port}"


def expand_destinations(spec: str) -> list[str]:
    """`127.0.0.2:5061-5064` -> four `host:port` destinations; `host:port` -> one."""
    host, _, ports = spec.rpartition(":")
    low, _, high = ports.partition("-")
    if not host or not low.isdigit() or (high and not high.isdigit()):
        raise ValueError(f"{spec!r} is not HOST:PORT or HOST:LOW-HIGH")
    first, last = int(low), int(high or low)
    if not 0 < first <= last < 65536:
        raise ValueError(f"{spec!r}: ports must rise within 1-65535")
    return [f"{host}:{port}" for port in range(first, last + 1)]


def write_files(settings: ProxySettings, folder: Path) -> Path:
    """Write the dispatcher list and the configuration; returns the configuration's path."""
    folder.mkdir(parents=True, exist_ok=True)
    settings.list_file.write_text(dispatcher_list(settings))
    if settings.trunks:
        write_tables(trunk_folder(settings), settings.trunks, trunk_contact(settings))
    path = folder / "kamailio.cfg"
    path.touch(mode=0o600)
    path.chmod(0o600)  # it holds the dialog secret and trunks' passwords: never readable
    path.write_text(config(settings))  # by others, not even for a moment
    return path
