"""Benchmark: what an HTTP lookup (`fetch`) adds to a call, from the flow's step to its
result, against a local aiohttp server that answers at once.

    .venv/bin/python bench/lookup_latency.py [--lookups 400] [--calls 1]

The service runs in process on the engine's in-memory stack (no SIP: the lookup is what
is measured) with `--calls` calls at once, each looping `fetch` -> `ok` -> `fetch`.
For every lookup, the time from the trace record of the Fetch command (noted right after
the machine step that emitted it) to the record of its result (noted after the step
that took it; the trace's clock counts whole milliseconds): the executor's task,
aiohttp's request on a kept connection, the server's answer (in the same event loop),
reading and flattening the JSON, the event queue and the machine step.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dialplan.lookups.mocks import HttpMock  # noqa: E402
from dialplan.lookups.server import MockServer  # noqa: E402
from dialplan.machine import trace_records as tr  # noqa: E402
from tests.dialplan.runtime.in_memory import Served, serving  # noqa: E402

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


def _latencies(served: Served, call: str) -> list[float]:
    records = [r for r in served.records(call) if isinstance(r, tr.Fetch | tr.Result)]
    pairs = itertools.pairwise(records)
    return [result.at - fetch.at for fetch, result in pairs
            if isinstance(fetch, tr.Fetch) and isinstance(result, tr.Result)]


async def measure(lookups: int, calls: int) -> list[float]:
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
                return [s for call in placed for s in _latencies(served, call)[:lookups]]
    finally:
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
