"""Benchmark: what an HTTP lookup (`fetch`) adds to a call, from the flow's step to its
result, against a local aiohttp server that answers at once.

    .venv/bin/python bench/lookup_latency.py [--lookups 400] [--calls 1]

The service runs in process on the engine's in-memory stack (no SIP: the lookup is what
is measured) with `--calls` calls at once, each looping `fetch` -> `ok` -> `fetch`.
For every lookup, the time from the call log's line of the machine step that emitted
the Fetch command to the line of the step that took its result (the call log writes
one line per step, right after it): the executor's task, aiohttp's request on a kept
connection, the server's answer (in the same event loop), reading and flattening the
JSON, the event queue and the machine step.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dialplan.lookups.mocks import HttpMock  # noqa: E402
from dialplan.lookups.server import MockServer  # noqa: E402
from dialplan.machine import trace_records as tr  # noqa: E402
from tests.dialplan.runtime.in_memory import serving  # noqa: E402

BODY = '{"balance": 42.5, "currency": "EUR", "items": [{"name": "tea"}, {"name": "cake"}]}'
PLAN = """route 700 -> loop
flow loop {
  start:
    answer
    goto ask
  ask:
    fetch account "URL/v1/accounts/{{ caller }}" timeout 5s { ok -> goto ask }
    hangup
}
"""


class StepTimes(logging.Handler):
    """Per call: (time, "fetch" | "result") for each step line that sent a Fetch or
    took a FetchResult."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.marks: dict[str, list[tuple[float, str]]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        line = json.loads(record.getMessage().split(" ", 1)[1])
        kinds = {c["type"] for c in line.get("commands", [])}
        mark = "result" if line.get("input", {}).get("type") == "FetchResult" else None
        for kind in (mark, "fetch" if "Fetch" in kinds else None):
            if kind is not None:
                self.marks.setdefault(line["call"], []).append((record.created, kind))

    def latencies(self) -> list[float]:
        return [later - at for marks in self.marks.values()
                for (at, a), (later, b) in itertools.pairwise(marks)
                if (a, b) == ("fetch", "result")]


async def measure(lookups: int, calls: int) -> list[float]:
    times = StepTimes()
    calls_log = logging.getLogger("dialplan.calls")
    calls_log.addHandler(times)
    calls_log.setLevel(logging.INFO)
    server = MockServer([HttpMock("/v1/", body=BODY)])
    await server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with serving(Path(folder), PLAN.replace("URL", server.url),
                               allowed_urls=(f"{server.url}/v1/",)) as served:
                placed = [served.call("700") for _ in range(calls)]
                await served.until(lambda: all(
                    len(served.records(c, tr.Result)) >= lookups for c in placed), 120)
                for call in placed:
                    served.far_end.hang_up(call)
                await served.all_over()
                return times.latencies()
    finally:
        calls_log.removeHandler(times)
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=400, help="per call")
    parser.add_argument("--calls", type=int, default=1, help="calls at once (at most 4)")
    args = parser.parse_args()
    samples = asyncio.run(measure(args.lookups, min(args.calls, 4)))
    cuts = statistics.quantiles(samples, n=20)
    print(f"fetch, step to result ({len(samples)} lookups, {args.calls} call(s)): "
          f"p50 {statistics.median(samples) * 1000:.2f} ms, p95 {cuts[18] * 1000:.2f} ms, "
          f"max {max(samples) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
