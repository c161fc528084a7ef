"""Benchmark: webhooks. What a call pays to post its events (lifecycle + serializing +
queueing, per call of 3 events), and how fast one URL's senders deliver to a local
aiohttp receiver on 127.0.0.1 (events/s, post-to-receipt latency p50/p95).

    .venv/bin/python bench/webhooks.py [--calls 2000] [--events 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import statistics
import time

from aiohttp import web

from dialplan.machine import CallInfo, CallState
from dialplan.machine import commands as cmd
from dialplan.webhooks.dispatch import Webhooks
from dialplan.webhooks.settings import WebhookConfig

SECRET = "bench-secret-0123456789abcdef"
AT = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, float] = {}

    def count(self, name: str, amount: float = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount


def post_call(hooks: Webhooks, number: int) -> None:
    state = CallState("v1", flow="main", state="start", answered=True)
    life = hooks.lifecycle(f"in-{number}", "", CallInfo("5551234", "100"), "v1")
    hooks.post(life.started(state, [cmd.Answer()], AT))
    hooks.post(life.step(None, state, [cmd.Hangup("normal", 200)], AT))
    hooks.post(life.ended(AT))


def posting_cost(hooks: Webhooks, calls: int) -> list[float]:
    times = []
    for number in range(calls):
        began = time.perf_counter()
        post_call(hooks, number)
        times.append(time.perf_counter() - began)
    return times


async def delivery(events: int) -> tuple[float, list[float]]:
    posted: dict[str, float] = {}
    latencies: list[float] = []
    done = asyncio.Event()

    async def receive(request: web.Request) -> web.Response:
        event = json.loads(await request.read())
        latencies.append(time.perf_counter() - posted[event["id"]])
        if len(latencies) == events:
            done.set()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hooks", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    hooks = Webhooks(WebhookConfig(urls=(f"http://127.0.0.1:{port}/hooks",), secret=SECRET,
                                   queue_size=events), Tally())
    await hooks.start()
    began = time.perf_counter()
    for number in range(events):
        life = hooks.lifecycle(f"in-{number}", "", CallInfo("5551234", "100"), "v1")
        payloads = life.ended(AT)
        posted[payloads[0]["id"]] = time.perf_counter()
        hooks.post(payloads)
    await asyncio.wait_for(done.wait(), 120)
    took = time.perf_counter() - began
    await hooks.stop(1)
    await runner.cleanup()
    return took, latencies


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * share))]


async def main(calls: int, events: int) -> None:
    none = Webhooks(node="bench")
    dead = Webhooks(WebhookConfig(urls=("http://127.0.0.1:9/hooks",), secret=SECRET),
                    Tally(), node="bench")  # not started: every event stays queued
    for label, hooks in (("no webhooks", none), ("one URL", dead)):
        cost = posting_cost(hooks, calls)
        print(f"posting a call's 3 events, {label}: median {statistics.median(cost) * 1e6:.0f}"
              f" us, p95 {percentile(cost, 0.95) * 1e6:.0f} us")
    took, latencies = await delivery(events)
    print(f"delivery of {events} events to a local receiver: {events / took:.0f} events/s, "
          f"post to receipt p50 {percentile(latencies, 0.5) * 1e3:.1f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1e3:.1f} ms (all queued at once)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--events", type=int, default=3000)
    arguments = parser.parse_args()
    logging.disable(logging.WARNING)  # the drops of the never-started URL are expected
    asyncio.run(main(arguments.calls, arguments.events))
