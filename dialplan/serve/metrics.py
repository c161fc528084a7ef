"""Counters and timings of the service, in Prometheus' text format (no client library:
the format is a few lines of text)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15, 30, 60, 120, 300, 600,
           float("inf"))


@dataclass
class Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    count: int = 0

    def observe(self, value: float) -> None:
        self.total += value
        self.count += 1
        for i, bound in enumerate(BUCKETS):
            if value <= bound:
                self.counts[i] += 1


@dataclass
class Metrics:
    counters: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    histograms: dict[str, Histogram] = field(default_factory=lambda: defaultdict(Histogram))
    gauges: dict[str, float] = field(default_factory=dict)

    def count(self, name: str, amount: float = 1) -> None:
        self.counters[name] += amount

    def observe(self, name: str, value: float) -> None:
        self.histograms[name].observe(value)

    def text(self) -> str:
        lines: list[str] = []
        for name, value in sorted(self.counters.items()):
            lines += [f"# TYPE dialplan_{name} counter", f"dialplan_{name} {value:g}"]
        for name, value in sorted(self.gauges.items()):
            lines += [f"# TYPE dialplan_{name} gauge", f"dialplan_{name} {value:g}"]
        for name, hist in sorted(self.histograms.items()):
            lines.append(f"# TYPE dialplan_{name} histogram")
            for bound, count in zip(BUCKETS, hist.counts, strict=True):
                label = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(f'dialplan_{name}_bucket{{le="{label}"}} {count}')
            lines += [f"dialplan_{name}_sum {hist.total:g}", f"dialplan_{name}_count {hist.count}"]
        return "\n".join(lines) + "\n"
