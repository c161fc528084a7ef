"""The `[webhooks]` table of dialplan.toml: where call lifecycle events go, and how hard
the service tries.

    [webhooks]
    urls = ["https://crm.example.com/dialplan/events"]
    events = ["started", "answered", "transferred", "queued", "ended"]  # default: all
    secret_env = "DIALPLAN_WEBHOOK_SECRET"   # or secret_file = "var/webhook.secret"
    timeout = 5                              # seconds per attempt
    max_attempts = 5                         # 1 try + 4 retries, backoff 0.5 s, 1 s, 2 s...
    backoff = 0.5                            # seconds before the first retry
    queue_size = 1000                        # deliveries held per URL; the oldest go first

The table is read by dialplan/config.py (its `read_table`, so a refusal names the file,
the table and the setting) into a WebhookConfig on ServeConfig. This module imports
nothing of the service: the config module depends on it, never the other way round.
The secret is read once, when the file is loaded, so a missing variable or unreadable
file stops the start rather than the first delivery.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EVENTS = ("started", "answered", "transferred", "queued", "ended")
MIN_SECRET = 16  # characters: HMAC keys shorter than that are guessable


@dataclass(frozen=True)
class WebhookConfig:
    urls: tuple[str, ...] = ()
    events: frozenset[str] = frozenset(EVENTS)
    secret: str = field(default="", repr=False)  # never in a log line
    timeout: float = 5.0
    max_attempts: int = 5
    backoff: float = 0.5
    queue_size: int = 1000

    @property
    def enabled(self) -> bool:
        return bool(self.urls)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> WebhookConfig:
        """The table's parsed values as one config; ValueError if they do not fit
        together (URLs without a secret, two secrets)."""
        given = dict(values)
        secrets = [given.pop(key) for key in ("secret_env", "secret_file") if key in given]
        if len(secrets) > 1:
            raise ValueError("takes secret_env or secret_file, not both")
        config = cls(**given, secret=secrets[0] if secrets else "")
        if config.urls and not config.secret:
            raise ValueError("urls need a secret: set secret_env or secret_file")
        return config


def _urls(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
        raise ValueError("must be a list of strings")
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must hold http:// or https:// URLs with a host: {url!r}")
        if parts.username or parts.password:
            raise ValueError(f"must not carry credentials in a URL: {url!r}")
    return tuple(value)


def _events(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list")
    unknown = sorted(set(map(str, value)) - set(EVENTS))
    if unknown:
        raise ValueError(f"names unknown events {unknown}; known: {', '.join(EVENTS)}")
    return frozenset(value)


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError("must be a positive number of seconds")
    return float(value)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number, 1 or more")
    return value


def _secret(text: str, where: str) -> str:
    secret = text.strip()
    if len(secret) < MIN_SECRET:
        raise ValueError(f"{where} holds fewer than {MIN_SECRET} characters")
    return secret


def _secret_env(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must name an environment variable")
    if value not in os.environ:
        raise ValueError(f"names the variable {value}, which is not set")
    return _secret(os.environ[value], f"the variable {value}")


def webhook_settings(base: Path) -> dict[str, tuple[str, Callable[[Any], Any]]]:
    """Every `[webhooks]` setting: its field and how its value is read (a secret file
    is relative to the config file's folder, `base`)."""
    def secret_file(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        path = base / value
        try:
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):  # as ssh refuses a private key
                raise ValueError(f"{path} may be read by others (mode "
                                 f"{stat.S_IMODE(mode):04o}): chmod 600 it")
            return _secret(path.read_text(), f"the file {path}")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot be read: {error}") from error

    return {"urls": ("urls", _urls), "events": ("events", _events),
            "secret_env": ("secret_env", _secret_env),
            "secret_file": ("secret_file", secret_file),
            "timeout": ("timeout", _positive), "backoff": ("backoff", _positive),
            "max_attempts": ("max_attempts", _count), "queue_size": ("queue_size", _count)}
