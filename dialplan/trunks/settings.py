"""The `[trunks.NAME]` tables of dialplan.toml: how the service reaches a provider.

    [trunks.carrier]
    proxy = "sip.carrier.example:5060"     # where calls go (host[:port])
    failover = ["sip2.carrier.example"]    # tried in turn on 503, 408 or no reply
    registrar = "reg.carrier.example"      # where REGISTER goes (default: proxy)
    username = "4930123456"                # digest user (and the registered AOR's user)
    password_env = "CARRIER_PASSWORD"      # or password_file = "secrets/carrier" (0600)
    from_user = "4930123456"               # From of outbound calls (default: username)
    domain = "carrier.example"             # From's and the AOR's domain (default: proxy host)
    realm = "carrier.example"              # its REGISTER challenge's realm (default: domain)
    register = true                        # keep a registration alive (default true)
    expires = 600                          # seconds a registration asks for
    timeout = 30                           # seconds before a silent trunk counts as down
    sources = ["203.0.113.0/24"]           # networks its calls come from (no password)
    allow = ["_0Z.", "_ZX."]              # numbers it may dial (numbers.py: defaults)
    deny = ["_09.", "_118."]

Read by dialplan/config.py (for the service) and the linter (trunk names); this module
imports nothing of either. The password is never read here: `Trunk.password()` reads it
when the edge's configuration is written, so linting a plan needs no secret, and a
password file others may read is refused there.
"""

from __future__ import annotations

import ipaddress
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .numbers import DEFAULT_ALLOW, DEFAULT_DENY, check_patterns

NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?")
_USER = re.compile(r"[A-Za-z0-9_.+-]{1,64}")
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")


class TrunkError(ValueError):
    """A `[trunks.NAME]` setting that cannot be used; the message names the table and
    the setting, the caller adds the file."""


class PasswordMissing(TrunkError):
    """The trunk's password is not there (its variable unset, its file absent): the
    service starts with that trunk out of service rather than not at all, so a fresh
    install, or a secret not yet deployed, costs only the calls through it."""


@dataclass(frozen=True)
class Trunk:
    name: str
    proxy: str  # host[:port]
    username: str = ""
    password_env: str = ""
    password_file: Path | None = None
    registrar: str = ""  # host[:port]; "" means the proxy
    from_user: str = ""  # "" means the username
    domain: str = ""  # "" means the proxy's host
    realm: str = ""  # the provider's digest realm for REGISTER; "" means the domain
    register: bool = True
    expires: int = 600
    timeout: float = 30.0
    sources: tuple[str, ...] = ()
    failover: tuple[str, ...] = ()  # host[:port] tried in turn after `proxy` fails
    allow: tuple[str, ...] = DEFAULT_ALLOW
    deny: tuple[str, ...] = DEFAULT_DENY

    @property
    def host(self) -> str:
        return self.proxy.rsplit(":", 1)[0] if ":" in self.proxy else self.proxy

    @property
    def registrar_address(self) -> str:
        return self.registrar or self.proxy

    @property
    def caller(self) -> str:
        """The From URI of calls through this trunk."""
        return f"sip:{self.from_user or self.username}@{self.domain or self.host}"

    def password(self) -> str:
        """The digest password, from the environment or the file; TrunkError if it is
        missing, empty, or in a file others may read."""
        where = f"[trunks.{self.name}]"
        if self.password_env:
            value = os.environ.get(self.password_env, "")
            if not value:
                raise PasswordMissing(f"{where} password_env names {self.password_env}, "
                                      "which is not set")
            return _clean(value, where)
        if self.password_file is None:
            return ""
        if not self.password_file.exists():
            raise PasswordMissing(f"{where} password_file {self.password_file} does not "
                                  "exist")
        try:
            mode = self.password_file.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise TrunkError(f"{where} password_file {self.password_file} may be read "
                                 f"by others (mode {stat.S_IMODE(mode):04o}): chmod 600 it")
            return _clean(self.password_file.read_text(), where)
        except (OSError, UnicodeDecodeError) as error:
            raise TrunkError(f"{where} password_file cannot be read: {error}") from error

    def missing_password(self) -> str | None:
        """Why the trunk is out of service for want of a usable password, or None."""
        try:
            self.password()
        except TrunkError as missing:
            return str(missing)
        return None


def _clean(value: str, where: str) -> str:
    text = value.strip()
    if not text or any(c in text for c in "\"'\\\r\n\t:") or not text.isprintable():
        raise TrunkError(f"{where} the password is empty or holds quotes, `:`, `\\` or "
                         "control characters")
    return text


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value
    return parse


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 60 <= value <= 86400:
        raise ValueError("must be whole seconds from 60 to 86400")
    return value


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 300:
        raise ValueError("must be a number of seconds, more than 0 and at most 300")
    return float(value)


def _networks(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list of addresses or networks")
    try:
        return tuple(str(ipaddress.ip_network(str(v), strict=False)) for v in value)
    except ValueError as error:
        raise ValueError(f"must hold addresses or networks: {error}") from error


def _hosts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= 4 \
            or not all(isinstance(v, str) and _HOST.fullmatch(v) for v in value):
        raise ValueError("must be a list of one to four hosts or host:port")
    return tuple(value)


def _patterns(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of number patterns")
    return check_patterns(value)


def _env(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError("must name an environment variable")
    return value


_HOSTPORT = "host or host:port"
SETTINGS: dict[str, Callable[[Any], Any]] = {
    "proxy": _matching(_HOST, _HOSTPORT), "registrar": _matching(_HOST, _HOSTPORT),
    "username": _matching(_USER, "a SIP user (letters, digits, `_.+-`)"),
    "from_user": _matching(_USER, "a SIP user (letters, digits, `_.+-`)"),
    "domain": _matching(_DOMAIN, "a domain name"), "realm": _matching(_DOMAIN, "a realm"),
    "password_env": _env,
    "register": _flag, "expires": _whole, "timeout": _seconds, "sources": _networks,
    "failover": _hosts,
    "allow": _patterns, "deny": _patterns}


def _trunk(name: str, table: Any, base: Path) -> Trunk:
    where = f"[trunks.{name}]"
    if not NAME.fullmatch(name):
        raise TrunkError(f"{where}: a trunk's name is lower-case letters, digits and `_`")
    if not isinstance(table, dict):
        raise TrunkError(f"{where} must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        try:
            if key == "password_file":
                values[key] = base / _matching(re.compile(r".+"), "a path")(value)
            elif key in SETTINGS:
                values[key] = SETTINGS[key](value)
            else:
                raise TrunkError(f"{where}: unknown setting `{key}` (its settings: "
                                 f"{', '.join(sorted([*SETTINGS, 'password_file']))})")
        except TrunkError:
            raise
        except (ValueError, TypeError) as error:
            raise TrunkError(f"{where} {key} {error} (found {value!r})") from error
    return _complete(Trunk(name=name, **values) if "proxy" in values else None, where)


def _complete(trunk: Trunk | None, where: str) -> Trunk:
    if trunk is None:
        raise TrunkError(f"{where} needs a proxy (host or host:port)")
    if trunk.password_env and trunk.password_file:
        raise TrunkError(f"{where} takes password_env or password_file, not both")
    if (trunk.password_env or trunk.password_file) and not trunk.username:
        raise TrunkError(f"{where} a password needs a username")
    if trunk.register and not trunk.username:
        raise TrunkError(f"{where} register needs a username (or set register = false)")
    return trunk


def trunks_from_document(document: Mapping[str, Any], base: Path) -> tuple[Trunk, ...]:
    """Every `[trunks.NAME]` of a parsed dialplan.toml (`base`: its folder, for a
    password_file); TrunkError on the first setting that cannot be used."""
    table = document.get("trunks", {})
    if not isinstance(table, dict):
        raise TrunkError("`trunks` must hold tables ([trunks.NAME])")
    return tuple(_trunk(name, value, base) for name, value in table.items())
