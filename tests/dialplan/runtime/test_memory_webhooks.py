"""Webhooks from calls the executor runs (in_memory.py), to a real receiver on
127.0.0.1: each call posts started, answered and its ended summary, signed; a transfer
the far end takes posts transferred; and a receiver that hangs delays no call."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from dialplan.machine import trace_records as tr
from dialplan.webhooks.settings import WebhookConfig
from engine.testing import MemoryStack
from tests.dialplan.runtime.in_memory import Served, serving
from tests.support.harness import ROOT
from tests.support.webhook_receiver import SECRET, Receiver, receiving

pytestmark = pytest.mark.memory
DEMO = (ROOT / "examples/dialplans/demo.dialplan").read_text()
SHORT = "route 101 -> short\nflow short {\n  start:\n    answer\n    hangup\n}\n"


def hooks(receiver: Receiver, **settings: Any) -> WebhookConfig:
    return WebhookConfig(urls=(receiver.url,), secret=SECRET, **settings)


async def menu_reached(served: Served, call: str) -> None:
    await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))


def test_a_call_the_flow_hangs_up_posts_started_answered_and_its_summary(
        tmp_path: Path) -> None:
    async def scenario() -> Receiver:
        async with receiving() as receiver:
            async with serving(tmp_path, DEMO, webhooks=hooks(receiver)) as served:
                call = served.call("100")
                await menu_reached(served, call)
                served.far_end.press(call, "1")
                await served.ended(call)
                await served.until(lambda: len(receiver.taken()) == 3)
            return receiver
    receiver = asyncio.run(scenario())
    started, answered, ended = receiver.taken()
    assert all(got.signed for got in receiver.got)
    assert [e["event"] for e in (started, answered, ended)] == ["started", "answered", "ended"]
    assert [e["sequence"] for e in (started, answered, ended)] == [1, 2, 3]
    assert started["call"] == ended["call"] and started["call"]["called"] == "100"
    assert ended["outcome"] == "hangup" and ended["hung_up_by"] == "flow"
    assert ended["path"] == ["demo.start", "demo.menu", "demo.goodbye"]  # where it waited
    assert ended["answered_at"] == answered["time"] and ended["duration"] > 0


def test_a_transfer_the_far_end_takes_posts_transferred(tmp_path: Path) -> None:
    async def scenario() -> Receiver:
        async with receiving() as receiver:
            config = hooks(receiver, events=frozenset({"transferred", "ended"}))
            async with serving(tmp_path, DEMO, webhooks=config) as served:
                call = served.call("100")
                await menu_reached(served, call)
                served.far_end.press(call, "2")
                await served.until(lambda: bool(served.records(call, tr.Result)))
                await served.ended(call)
                await served.until(lambda: len(receiver.taken()) == 2)
            return receiver
    transferred, ended = asyncio.run(scenario()).taken()
    assert transferred["target"] == "sip:200@127.0.0.1:5070"
    assert ended["outcome"] == "transferred"
    assert ended["transferred_to"] == "sip:200@127.0.0.1:5070"


def test_a_caller_who_hangs_up_is_told_apart_from_the_flow(tmp_path: Path) -> None:
    async def scenario() -> Receiver:
        async with receiving() as receiver:
            config = hooks(receiver, events=frozenset({"ended"}))
            async with serving(tmp_path, DEMO, MemoryStack(finish_prompts=False),
                               webhooks=config) as served:
                call = served.call("100")
                await served.until(lambda: bool(served.wire.did("play", call)))
                served.far_end.hang_up(call)
                await served.ended(call)
                await served.until(lambda: len(receiver.taken()) == 1)
            return receiver
    [ended] = asyncio.run(scenario()).taken()
    assert (ended["outcome"], ended["hung_up_by"], ended["cause"]) == (
        "caller_hangup", "caller", None)


async def timed_calls(served: Served, count: int) -> float:
    """Seconds per call, one after another, from INVITE to the run's end."""
    began = time.perf_counter()
    for _ in range(count):
        await served.ended(served.call("101"))
    return (time.perf_counter() - began) / count


def test_a_receiver_that_hangs_delays_no_call(tmp_path: Path) -> None:
    async def scenario() -> tuple[float, float, int]:
        async with serving(tmp_path / "none", SHORT) as served:
            await timed_calls(served, 5)  # warm
            without = await timed_calls(served, 40)
        async with receiving(delay=30) as receiver:
            config = hooks(receiver, timeout=1)
            async with serving(tmp_path / "hung", SHORT, webhooks=config) as served:
                await timed_calls(served, 5)
                hung = await timed_calls(served, 40)
                owed = served.service.context.webhooks.owed()
        return without, hung, owed
    without, hung, owed = asyncio.run(scenario())
    print(f"per call: no webhooks {without * 1e3:.2f} ms, receiver hanging {hung * 1e3:.2f} ms")
    assert owed > 0  # the receiver really held them
    assert hung < without + 0.05  # a held call would wait out the 1 s timeout


def test_deliveries_a_dead_receiver_never_takes_are_counted_on_metrics(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/hooks"

    async def scenario() -> bytes:
        config = WebhookConfig(urls=(url,), secret=SECRET, max_attempts=2, backoff=0.01)
        async with serving(tmp_path, SHORT, webhooks=config) as served:
            await served.ended(served.call("101"))
            metrics = served.service.context.metrics
            await served.until(lambda: b"dialplan_webhooks_failed_total 3.0" in metrics.text())
            return metrics.text()
    text = asyncio.run(scenario())
    assert b"dialplan_webhooks_retries_total 3.0" in text


def test_a_call_a_drain_cuts_short_is_dropped_by_the_service(tmp_path: Path) -> None:
    waits = "route 102 -> long\nflow long {\n  start:\n    answer\n    wait 60s\n}\n"

    async def scenario() -> Receiver:
        async with receiving() as receiver:
            config = hooks(receiver, events=frozenset({"ended"}))
            async with serving(tmp_path, waits, webhooks=config) as served:
                call = served.call("102")
                await served.until(lambda: served.where(call) == "long.start")
                await served.service.drain(0.01)  # its last events are sent before it stops
            return receiver
    [ended] = asyncio.run(scenario()).taken()
    assert (ended["outcome"], ended["hung_up_by"]) == ("dropped", "service")
