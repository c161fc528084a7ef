"""What every call's executor shares: configuration, the prompt cache, the manager,
the queue service and metrics. One per service process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dialplan.config import ServeConfig

from ..prompts.cache import PromptCache
from .metrics import Metrics

if TYPE_CHECKING:
    from .queues import QueueService


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class ServiceContext:
    config: ServeConfig
    manager: Any  # engine.SessionManager (typed loosely: the engine is an optional extra)
    cache: PromptCache
    queues: QueueService
    metrics: Metrics = field(default_factory=Metrics)
    clock: Callable[[], dt.datetime] = utc_now  # injected in tests (schedules)
    legs: dict[str, str] = field(default_factory=dict)  # dial leg id -> its caller's call id
