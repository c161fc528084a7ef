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
"""

from __future__ import annotations

import ipaddress
import tomllib
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


class ServeConfigError(Exception):
    pass


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
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> ServeConfig:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_PATHS = {"prompt_cache", "recordings", "speech_socket", "admin_tokens"}


def _networks(path: Path, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ServeConfigError(f"{path}: trusted_sources must be a non-empty list")
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError as error:
            raise ServeConfigError(f"{path}: trusted_sources: {error}") from error
    return tuple(str(v) for v in value)


def load_serve_config(path: Path | None) -> ServeConfig:
    if path is None:
        return ServeConfig()
    try:
        table = tomllib.loads(path.read_text()).get("serve", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ServeConfigError(f"{path}: {error}") from error
    base = path.parent
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "prompts":
            values["prompt_dirs"] = tuple(base / p for p in value)
        elif key in _PATHS:
            values[key] = base / value
        elif key == "media_ports":
            values[key] = (int(value[0]), int(value[1]))
        elif key == "allowed_targets":
            values[key] = tuple(str(v) for v in value)
        elif key == "trusted_sources":
            values[key] = _networks(path, value)
        elif key == "timezone":
            try:
                zoneinfo.ZoneInfo(str(value))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
                raise ServeConfigError(f"{path}: unknown timezone {value!r}") from error
            values[key] = str(value)
        elif key == "queue_store":
            if not str(value).startswith(("redis://", "unix://")):
                raise ServeConfigError(f"{path}: queue_store {value!r} is not a redis:// "
                                       "or unix:// URL")
            values[key] = str(value)
        elif key == "srtp":
            if value not in ("off", "optional", "mandatory"):
                raise ServeConfigError(f"{path}: srtp {value!r} is not off, optional or "
                                       "mandatory")
            values[key] = value
        elif key == "queue_lease":
            if not isinstance(value, int | float) or value <= 0:
                raise ServeConfigError(f"{path}: queue_lease must be a positive number "
                                       "of seconds")
            values[key] = float(value)
        elif key in ServeConfig.__dataclass_fields__:
            values[key] = value
        else:
            raise ServeConfigError(f"{path}: unknown [serve] setting `{key}`")
    return ServeConfig(**values)
