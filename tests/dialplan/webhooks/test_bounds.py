"""A dead receiver costs a call nothing and memory stays flat: posting is a few
microseconds whatever the receiver does, and a flood of events to a URL that refuses
connections keeps at most `queue_size` deliveries, the oldest dropped and counted."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import gc
import socket
import time
import tracemalloc

from dialplan.machine import CallInfo, CallState
from dialplan.machine import commands as cmd
from dialplan.webhooks.dispatch import Webhooks
from dialplan.webhooks.settings import WebhookConfig
from tests.support.webhook_receiver import SECRET

AT = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
QUEUE = 100


class Tally(collections.Counter[str]):
    def count(self, name: str, amount: float = 1) -> None:
        self[name] += int(amount)


def dead_url() -> str:
    """A loopback port nobody listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


def post_calls(hooks: Webhooks, calls: int) -> float:
    """Post every event of `calls` calls (started, answered, ended); seconds per call."""
    state = CallState("v1", flow="main", state="start", answered=True)
    began = time.perf_counter()
    for number in range(calls):
        life = hooks.lifecycle(f"in-{number}", "", CallInfo("5551234", "100"), "v1")
        hooks.post(life.started(state, [cmd.Answer()], AT))
        hooks.post(life.step(None, state, [cmd.Hangup("normal", 200)], AT))
        hooks.post(life.ended(AT))
    return (time.perf_counter() - began) / calls


def test_a_flood_of_calls_with_a_dead_receiver_keeps_memory_bounded() -> None:
    async def scenario() -> tuple[int, int, Tally]:
        tally = Tally()
        hooks = Webhooks(WebhookConfig(urls=(dead_url(),), secret=SECRET, backoff=60,
                                       queue_size=QUEUE), tally, node="test")
        await hooks.start()
        tracemalloc.start()
        post_calls(hooks, 200)
        await asyncio.sleep(0)  # let the senders take their first deliveries
        gc.collect()
        after_few = tracemalloc.get_traced_memory()[0]
        post_calls(hooks, 2_000)
        gc.collect()
        after_many = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert hooks.owed() <= QUEUE
        await hooks.stop(0)
        return after_few, after_many, tally
    after_few, after_many, tally = asyncio.run(scenario())
    assert after_many - after_few < 64 * 1024, (after_few, after_many)  # ten times the calls
    assert tally["webhooks_dropped_total"] >= 6_600 - QUEUE


def test_posting_to_a_dead_receiver_takes_microseconds_per_call() -> None:
    async def scenario() -> tuple[float, float]:
        quiet = Webhooks(node="test")  # none configured
        dead = Webhooks(WebhookConfig(urls=(dead_url(),), secret=SECRET, timeout=5),
                        Tally(), node="test")
        await dead.start()
        none, refused = post_calls(quiet, 2_000), post_calls(dead, 2_000)
        await dead.stop(0)
        return none, refused
    none, refused = asyncio.run(scenario())
    print(f"per call (3 events): none configured {none * 1e6:.0f} us, "
          f"dead receiver {refused * 1e6:.0f} us")
    assert refused < 0.001  # a millisecond per call at most, on a loaded test machine
