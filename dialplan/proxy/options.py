"""The proxy's own settings, from the `[proxy]` table of the same TOML file as `[serve]`
(dialplan.toml), for the pool's Kamailio and for `dialplan proxy`:

    [proxy]
    flood_limit = 1000          # requests a second from one address (0: no limit)
    max_call_seconds = 14400    # a call's load is released after this, BYE or not
    tls_port = 5061             # SIP over TLS on the proxy's address (0: none)
    tls_certificate = "/etc/dialplan/sip.pem"   # PEM; none: a self-signed pair is made
    tls_private_key = "/etc/dialplan/sip.key"
    secret_file = "/var/lib/dialplan/proxy.secret"  # keeps dialogs routable across restarts
    # as registrar (when the directory has extensions: edge.py)
    auth_failures = 5           # failed authentications from one address ...
    failure_window = 60         # ... each within this many seconds of the last ...
    ban_seconds = 300           # ... and that address is refused this long
    trunk_sources = ["203.0.113.0/24"]  # networks whose INVITEs need no password
    domains = ["pbx.example"]   # names phones use for this service, besides its address

The proxy accepts an in-dialog request only with the key it put in that dialog's
Record-Route, derived from a secret (kamailio.cfg.j2). Without `secret_file` the
secret is new at each start of the proxy, so calls in progress through a restarted
`dialplan proxy` can no longer be hung up through it; with it, the secret is made once
(mode 0600) and kept.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialplan.config import Parse, ServeConfigError, read_table
from dialplan.trunks.edge import EdgeTrunk, edge_trunks

from .registrar import RegistrarSettings


@dataclass(frozen=True)
class ProxyOptions:
    flood_limit: int = 1000
    max_call_seconds: int = 14400
    tls_port: int = 0
    tls_certificate: Path | None = None
    tls_private_key: Path | None = None
    secret: str | None = None  # from secret_file; None: a new one at each start
    auth_failures: int = 5
    failure_window: int = 60
    ban_seconds: int = 300
    trunk_sources: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    registrar: RegistrarSettings | None = field(default=None, compare=False)  # edge.py
    trunks: tuple[EdgeTrunk, ...] = field(default=(), compare=False)  # [trunks.NAME]

    def settings(self) -> dict[str, Any]:
        """As keyword arguments of ProxySettings."""
        kept = {"secret": self.secret} if self.secret else {}
        return {"flood_limit": self.flood_limit, "max_call_seconds": self.max_call_seconds,
                "tls_port": self.tls_port, "certificate": self.tls_certificate,
                "private_key": self.tls_private_key, "registrar": self.registrar,
                "trunks": self.trunks, **kept}

    def registrar_settings(self, db_url: str, realm: str) -> RegistrarSettings:
        """The registrar over the directory at `db_url` (Kamailio's form), as configured."""
        sources = tuple(dict.fromkeys([*self.trunk_sources,
                                       *(s for t in self.trunks for s in t.trunk.sources)]))
        return RegistrarSettings(db_url, realm, sources, self.domains,
                                 self.auth_failures, self.failure_window, self.ban_seconds)


def kept_secret(path: Path) -> str:
    """The secret in `path`, made there (mode 0600) if the file does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(16))
    secret = path.read_text().strip()
    if len(secret) < 16 or not secret.isalnum():
        raise OSError(f"{path} does not hold a secret made by dialplan")
    return secret


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number, 0 or more")
    return value


def _positive(value: Any) -> int:
    if _count(value) == 0:
        raise ValueError("must be 1 or more")
    return int(value)


def _networks(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of addresses or networks")
    try:
        return tuple(str(ipaddress.ip_network(v, strict=False)) for v in value)
    except ValueError as error:
        raise ValueError(f"must be addresses or networks: {error}") from error


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of names")
    try:
        RegistrarSettings("sqlite:///x", domains=tuple(value))
    except ValueError as error:
        raise ValueError(str(error)) from error
    return tuple(value)


def _proxy_settings(base: Path) -> dict[str, tuple[str, Parse]]:
    """Every `[proxy]` setting: its ProxyOptions field and how its value is read (paths
    are relative to the file's folder, `base`)."""
    def under_base(value: Any) -> Path:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return base / value

    def secret(value: Any) -> str:
        try:
            return kept_secret(under_base(value))
        except OSError as error:
            raise ValueError(f"cannot be used: {error}") from error

    return {"flood_limit": ("flood_limit", _count),
            "max_call_seconds": ("max_call_seconds", _count), "tls_port": ("tls_port", _count),
            "tls_certificate": ("tls_certificate", under_base),
            "tls_private_key": ("tls_private_key", under_base),
            "secret_file": ("secret", secret), "auth_failures": ("auth_failures", _positive),
            "failure_window": ("failure_window", _positive),
            "ban_seconds": ("ban_seconds", _positive),
            "trunk_sources": ("trunk_sources", _networks), "domains": ("domains", _names)}


def load_proxy_options(path: Path | None) -> ProxyOptions:
    if path is None:
        return ProxyOptions()
    options = ProxyOptions(**read_table(path, "proxy", _proxy_settings(path.parent)),
                           trunks=edge_trunks(path))
    if (options.tls_certificate is None) != (options.tls_private_key is None):
        raise ServeConfigError(f"{path}: [proxy] needs both tls_certificate and "
                               "tls_private_key, or neither")
    if options.max_call_seconds == 0:
        raise ServeConfigError(f"{path}: [proxy] max_call_seconds must be above 0")
    return options
