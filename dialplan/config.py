"""Service configuration from the `[serve]` table of a TOML file (dialplan.toml).

    [serve]
    sip_port = 5060
    bind = "127.0.0.1"
    media_ports = [10000, 10999]
    prompts = ["prompts"]                 # relative to the config file
    prompt_cache = "var/prompt-cache"
    recordings = "var/recordings"
    allowed_targets = ["sip:*@127.0.0.1:*"]   # globs; transfers and dials elsewhere fail
    trusted_sources = ["127.0.0.1"]       # INVITEs only from these hosts/networks; others 403
    identity_sources = ["127.0.0.1"]      # the proxy whose X-Dialplan-Extension is believed
    registrar = "127.0.0.1:5060"          # where `dial extension` finds phones (a pool: its proxy)
    unanswered_timeout = 60               # seconds a flow may leave a call unanswered; then 480
    language = "en"
    timezone = "Europe/Berlin"            # for `hour`, `weekday`, `date` (default UTC)
    drain_timeout = 30                    # seconds SIGTERM waits for calls to finish
    retire_timeout = 3600                 # seconds a planned restart waits for them
    hung_after = 30                       # pool: seconds of silence before a worker is killed
    max_calls = 2                         # per process; more get 503 (0: engine capacity)
    admin_port = 8089                     # 0: none
    admin_bind = "127.0.0.1"              # where the admin endpoint listens (loopback)
    admin_tokens = "var/admin"            # its bearer tokens (read.token, operator.token)
    admin_idle_timeout = 15               # seconds an idle admin connection is kept
    speech_socket = "var/speech.sock"     # the host's speech service, if any
    queue_store = "redis://127.0.0.1:6379/0"  # queues shared by hosts (default: per service)
    node = "pbx-a"                        # this service's name in a shared queue store
    srtp = "optional"                     # off | optional | mandatory: SRTP (SDES) on calls
    queue_lease = 30                      # seconds a lost caller or claim holds a queue
    allowed_urls = ["https://api.example.com/v1/"]  # where `fetch` may go (unset: nowhere)
"""

from __future__ import annotations

import importlib.util
import ipaddress
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dialplan.trunks.settings import Trunk, TrunkError, trunks_from_document
from dialplan.webhooks.settings import WebhookConfig, webhook_settings

from .lookups.urls import pattern_problem


class ServeConfigError(Exception):
    """A configuration that cannot be used: the message names the file, and the table and
    setting (or, for a TOML syntax error, the line and column)."""


# A setting's TOML value -> the field's; refused with a ValueError whose message reads
# after the setting's name ("must be a string").
Parse = Callable[[Any], Any]


def read_table(path: Path, table: str, settings: Mapping[str, tuple[str, Parse]]
               ) -> dict[str, Any]:
    """The `[table]` of the TOML file `path` as field values: each setting is parsed by
    its entry in `settings` (setting -> (field, parse)). The one way every command reads
    its table (`[serve]` here, `[proxy]` in proxy/options.py); nothing unknown passes."""
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ServeConfigError(f"{path}: {error}") from error  # tomllib names line, column
    found = document.get(table, {})
    if not isinstance(found, dict):
        raise ServeConfigError(f"{path}: `{table}` must be a table ([{table}])")
    values: dict[str, Any] = {}
    for key, value in found.items():
        if key not in settings:
            raise ServeConfigError(f"{path}: unknown [{table}] setting `{key}`")
        name, parse = settings[key]
        try:
            values[name] = parse(value)
        except (ValueError, TypeError) as error:
            raise ServeConfigError(f"{path}: [{table}] {key} {error} (found {value!r})"
                                   ) from error
    return values


@dataclass(frozen=True)
class ServeConfig:
    sip_port: int = 5060
    bind: str = "127.0.0.1"
    media_ports: tuple[int, int] = (10000, 10999)
    prompt_dirs: tuple[Path, ...] = (Path("prompts"),)
    prompt_cache: Path = Path("var/prompt-cache")
    recordings: Path = Path("var/recordings")
    allowed_targets: tuple[str, ...] | None = None
    trusted_sources: tuple[str, ...] | None = None  # None: INVITEs from anywhere
    identity_sources: tuple[str, ...] | None = None  # None: no caller's extension believed
    registrar: str | None = None  # host:port locating extensions; None: every one unavailable
    unanswered_timeout: float = 60.0  # a call the flow has not answered by then gets 480
    language: str = "en"
    timezone: str = "UTC"  # where calls read `hour`, `minute`, `weekday` and `date`
    drain_timeout: float = 30.0
    retire_timeout: float = 3600.0  # a planned restart (SIGUSR1, rolling) waits this long
    hung_after: float = 30.0  # a pool worker whose event loop is silent this long is killed
    max_calls: int = 0  # calls this process takes at once (0: the engine's capacity, 4)
    admin_port: int = 0
    admin_bind: str = "127.0.0.1"  # the admin endpoint is for this host unless said otherwise
    admin_tokens: Path = Path("var/admin")  # folder of its tokens, made on first start
    admin_idle_timeout: float = 15.0  # an admin connection silent this long is closed
    speech_socket: Path | None = None
    queue_socket: Path | None = None  # set by the pool: the supervisor's shared queue book
    plan_snapshot: Path | None = None  # set by the pool: the plan set its supervisor checked
    queue_store: str | None = None  # redis:// or unix:// URL of a queue book shared by hosts
    node: str = ""  # this service's name in a shared queue book (default: the host name)
    srtp: str = "off"  # SRTP keyed by SDES: "off", "optional" or "mandatory"
    queue_lease: float = 30.0  # seconds a place in line or a claimed agent lasts unrenewed
    webhooks: WebhookConfig = field(default_factory=WebhookConfig)  # the [webhooks] table
    allowed_urls: tuple[str, ...] = ()  # origins and path prefixes `fetch` may reach
    trunks: tuple[Trunk, ...] = ()  # the [trunks.NAME] tables (dialplan/trunks)
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> ServeConfig:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list")
    return tuple(str(item) for item in value)


def _port_range(value: Any) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(port, int) for port in value):
        raise ValueError("must be [LOW, HIGH]")
    return int(value[0]), int(value[1])


def _networks(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list")
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError as error:
            raise ValueError(f"must hold addresses or networks: {error}") from error
    return tuple(str(v) for v in value)


def _timezone(value: Any) -> str:
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError("is not a known timezone") from error
    return str(value)


def _store_url(value: Any) -> str:
    if not str(value).startswith(("redis://", "unix://")):
        raise ValueError("is not a redis:// or unix:// URL")
    if importlib.util.find_spec("redis") is None:  # an optional backend: the extra
        raise ValueError("needs the Redis client: pip install 'dialplan[redis]'")
    return str(value)


def _srtp(value: Any) -> str:
    if value not in ("off", "optional", "mandatory"):
        raise ValueError("is not off, optional or mandatory")
    return str(value)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError("must be a positive number of seconds")
    return float(value)


def _urls(value: Any) -> tuple[str, ...]:
    for url in _texts(value):
        if problem := pattern_problem(url):
            raise ValueError(f"entry {url!r} {problem}")
    return _texts(value)


def _as_is(value: Any) -> Any:
    return value


def serve_settings(base: Path) -> dict[str, tuple[str, Parse]]:
    """Every `[serve]` setting: its field and how its value is read (paths are relative
    to the file's folder, `base`)."""
    def under_base(value: Any) -> Path:
        return base / _text(value)

    special: dict[str, tuple[str, Parse]] = {
        "prompts": ("prompt_dirs", lambda v: tuple(base / p for p in _texts(v))),
        "prompt_cache": ("prompt_cache", under_base), "recordings": ("recordings", under_base),
        "speech_socket": ("speech_socket", under_base),
        "admin_tokens": ("admin_tokens", under_base),
        "media_ports": ("media_ports", _port_range),
        "allowed_targets": ("allowed_targets", _texts),
        "trusted_sources": ("trusted_sources", _networks),
        "identity_sources": ("identity_sources", _networks),
        "timezone": ("timezone", _timezone), "queue_store": ("queue_store", _store_url),
        "srtp": ("srtp", _srtp), "queue_lease": ("queue_lease", _seconds),
        "allowed_urls": ("allowed_urls", _urls)}
    plain = {name: (name, _as_is) for name in ServeConfig.__dataclass_fields__
             if name not in ("webhooks", "trunks")}  # their own tables
    return plain | special


def load_serve_config(path: Path | None, plans: Path | None = None) -> ServeConfig:
    """The `[serve]` table of `path`; its folders (given or default) lie beside the file,
    or without one beside the `plans` folder: never where the command happens to run."""
    base = path.parent if path is not None else plans or Path(".")
    given = read_table(path, "serve", serve_settings(base)) if path is not None else {}
    hooks = _webhooks(path, base) if path is not None else WebhookConfig()
    trunks = _trunks(path, base) if path is not None else ()
    return ServeConfig(**(_folders_beside(base) | given), webhooks=hooks, trunks=trunks)


def _trunks(path: Path, base: Path) -> tuple[Trunk, ...]:
    """The `[trunks.NAME]` tables (dialplan/trunks/settings.py) of the same file."""
    try:
        return trunks_from_document(tomllib.loads(path.read_text()), base)
    except TrunkError as error:
        raise ServeConfigError(f"{path}: {error}") from error


def _webhooks(path: Path, base: Path) -> WebhookConfig:
    """The `[webhooks]` table (dialplan/webhooks/settings.py) of the same file."""
    try:
        return WebhookConfig.from_settings(read_table(path, "webhooks", webhook_settings(base)))
    except ValueError as error:
        raise ServeConfigError(f"{path}: [webhooks] {error}") from error


def _folders_beside(base: Path) -> dict[str, Any]:
    defaults = ServeConfig()
    return {"prompt_dirs": tuple(base / folder for folder in defaults.prompt_dirs),
            "prompt_cache": base / defaults.prompt_cache,
            "recordings": base / defaults.recordings,
            "admin_tokens": base / defaults.admin_tokens}
