"""Counters, gauges and timings of one service process, through prometheus-client.

Metrics are made on first use, by name (`count("calls_total")`, `observe(
"reload_seconds", 0.2)`, `set("calls_active", 3)`), all named `dialplan_...`, in a
registry of this process's own. In a pool the supervisor chose prometheus-client's
multiprocess mode before any worker was forked (metrics_dir.py): each worker's values
then also live in a file of that run's metrics folder, and the supervisor's `/metrics`
adds them up (pool_metrics.py): counters and timings summed over every process the pool
ran, gauges over the processes alive. A worker's own `/metrics` still shows only its
own values.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15, 30, 60, 120, 300, 600)
CONTENT_TYPE = CONTENT_TYPE_LATEST
HELP = {
    "calls_total": "Calls a plan took",
    "calls_failed_total": "Calls whose run failed with an internal error",
    "calls_unrouted_total": "Calls no route matched (404)",
    "calls_active": "Calls in progress",
    "digits_dropped_total": "Digits a flow could not use (the call log says why)",
    "prompts_overdue_total": "Prompts whose end the engine never reported (taken as over)",
    "call_duration_seconds": "How long calls lasted",
    "reloads_total": "Plan reloads swapped in",
    "reloads_failed_total": "Plan reloads refused (the plans had errors)",
    "reload_seconds": "How long a reload took, prompts included",
    "queue_wait_seconds": "How long callers waited in a queue",
    "prompt_syntheses": "Prompts this process synthesized",
    "prompt_cache_hits": "Prompts this process found in the cache",
    "webhooks_delivered_total": "Webhook deliveries a receiver took (2xx)",
    "webhooks_retries_total": "Webhook attempts that failed and will be tried again",
    "webhooks_failed_total": "Webhook deliveries given up after their last attempt",
    "webhooks_dropped_total": "Webhook deliveries dropped unsent: the URL's queue was full",
}


class Metrics:
    """One process's metrics, made on first use."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._counters: dict[str, Counter] = {}
        self._gauges: dict[str, Gauge] = {}
        self._histograms: dict[str, Histogram] = {}

    def count(self, name: str, amount: float = 1) -> None:
        if name not in self._counters:
            self._counters[name] = Counter(f"dialplan_{name}", _help(name),
                                           registry=self.registry)
        self._counters[name].inc(amount)

    def set(self, name: str, value: float) -> None:
        """A gauge; in a pool the supervisor shows the sum over live processes."""
        if name not in self._gauges:
            self._gauges[name] = Gauge(f"dialplan_{name}", _help(name),
                                       registry=self.registry, multiprocess_mode="livesum")
        self._gauges[name].set(value)

    def observe(self, name: str, value: float) -> None:
        if name not in self._histograms:
            self._histograms[name] = Histogram(f"dialplan_{name}", _help(name),
                                               registry=self.registry, buckets=BUCKETS)
        self._histograms[name].observe(value)

    def text(self) -> bytes:
        """This process's metrics in Prometheus' text format."""
        return generate_latest(self.registry)


def _help(name: str) -> str:
    return HELP.get(name, name.replace("_", " ").capitalize())
