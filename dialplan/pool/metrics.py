"""The pool supervisor's `/metrics`: every worker's series added up, and its own.

The workers write their metrics to files in the run's metrics folder (metrics_dir.py,
prometheus-client's multiprocess mode); prometheus-client's MultiProcessCollector adds
them up at each scrape: counters and timings over every process this run had (so totals
survive a worker's restart), gauges over the live ones (a dead worker's gauges are
dropped when it is reaped). The supervisor's own numbers (restarts, lost calls, ...) are
read from the pool as it is at the scrape.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, values
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from .view import PoolView


class PoolCollector:
    """The supervisor's own series: the pool as it is now."""

    def __init__(self, pool: PoolView) -> None:
        self.pool = pool

    def collect(self) -> Iterator[Metric]:
        pool = self.pool
        yield CounterMetricFamily("dialplan_pool_restarts", "Workers restarted after dying",
                                  value=sum(w.restarts for w in pool.workers))
        yield CounterMetricFamily("dialplan_pool_lost_calls", "Calls lost with dead workers",
                                  value=pool.lost_calls)
        yield CounterMetricFamily("dialplan_pool_hung_kills", "Hung workers killed",
                                  value=pool.hung_kills)
        yield CounterMetricFamily("dialplan_pool_recycles", "Workers retired and replaced",
                                  value=sum(w.recycled for w in pool.workers))
        yield GaugeMetricFamily("dialplan_pool_workers", "Worker processes",
                                value=len(pool.workers))
        refusals = pool.proxy_refusals()
        if refusals:
            yield CounterMetricFamily("dialplan_pool_proxy_refused_calls",
                                      "Calls the proxy answered 503 itself: every process "
                                      "tried was full", value=refusals.get("edge_refusals", 0))
            yield CounterMetricFamily("dialplan_pool_proxy_refused_offers",
                                      "Offers a process refused (the proxy tried the next)",
                                      value=refusals.get("engine_refusals", 0))
        proxy = pool.proxy_health()
        if proxy["managed"]:
            yield GaugeMetricFamily("dialplan_pool_proxy_up", "Kamailio answers (1) or not",
                                    value=int(bool(proxy["up"])))
            yield CounterMetricFamily("dialplan_pool_proxy_restarts",
                                      "Kamailio restarted after exiting or hanging",
                                      value=float(str(proxy["restarts"])))


def pool_registry(pool: PoolView) -> CollectorRegistry:
    """What the supervisor's `/metrics` shows."""
    if not getattr(values.ValueClass, "_multiprocess", False):
        raise RuntimeError("prometheus-client is not in multiprocess mode (metrics_dir.py)")
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(PoolCollector(pool))
    return registry


def forget_process(pid: int) -> None:
    """A worker is gone: its gauges no longer count (its counters still do)."""
    mark_process_dead(pid)
