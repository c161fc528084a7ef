"""What every call's executor shares: configuration, the engine's session manager, the
prompt cache, metrics, the calls' clock and the dial legs. One per service process,
made once the manager exists and never changed afterwards."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

import engine
from dialplan.config import ServeConfig

from ..clock import clock_from
from ..prompts.cache import PromptCache
from ..webhooks.dispatch import Webhooks
from .fetcher import Fetcher
from .metrics import Metrics

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def service_clock(config: ServeConfig, start: dt.datetime | None = None) -> Clock:
    """The calls' clock: from `start` on at real speed (`serve --at`), else now in the
    configured time zone (what `hour` and `weekday` read)."""
    if start is not None:
        return clock_from(start, utc_now)
    if config.timezone == "UTC":
        return utc_now
    zone = zoneinfo.ZoneInfo(config.timezone)
    return lambda: utc_now().astimezone(zone)


@dataclass(frozen=True)
class ServiceContext:
    config: ServeConfig
    manager: engine.SessionManager
    cache: PromptCache
    metrics: Metrics = field(default_factory=Metrics)
    clock: Clock = utc_now
    legs: dict[str, str] = field(default_factory=dict)  # dial leg id -> its caller's call id
    webhooks: Webhooks = field(default_factory=Webhooks)  # none configured: posts nothing
    fetcher: Fetcher = field(default_factory=Fetcher)  # the HTTP client of `fetch`
