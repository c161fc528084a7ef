"""Delivery to a real receiver on 127.0.0.1: signed, retried after 500s and timeouts
with backoff, given up and counted after max_attempts, never sent along a redirect,
and owed deliveries flushed at stop."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import time
from collections.abc import Callable

import pytest

from dialplan.machine import CallInfo
from dialplan.webhooks.dispatch import Webhooks
from dialplan.webhooks.settings import WebhookConfig
from tests.support.webhook_receiver import SECRET, Receiver, receiving

AT = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


class Tally(collections.Counter[str]):
    def count(self, name: str, amount: float = 1) -> None:
        self[name] += int(amount)


def hooks_to(url: str, tally: Tally, **settings: object) -> Webhooks:
    config = WebhookConfig(urls=(url,), secret=SECRET, **settings)  # type: ignore[arg-type]
    return Webhooks(config, tally, node="test")


def ended_event(hooks: Webhooks) -> list[dict[str, object]]:
    """One call's `ended` summary (a caller who hung up at once)."""
    life = hooks.lifecycle("in-1", "abc@127.0.0.1", CallInfo("5551234", "100"), "v1")
    return life.ended(AT)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll `condition` in the event loop (the senders run meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


def test_an_event_arrives_signed_with_its_id_and_name() -> None:
    async def scenario() -> None:
        tally = Tally()
        async with receiving() as receiver:
            hooks = hooks_to(receiver.url, tally)
            await hooks.start()
            event = ended_event(hooks)
            hooks.post(event)
            await until(lambda: tally["webhooks_delivered_total"] == 1)
            await hooks.stop(1)
        [got] = receiver.got
        assert got.signed and got.event == event[0]
        assert got.headers["X-Dialplan-Event"] == "ended"
        assert got.headers["X-Dialplan-Event-Id"] == event[0]["id"]
        assert got.event["call"]["session"].startswith("test:")
    asyncio.run(scenario())


def test_500s_are_retried_with_backoff_until_the_receiver_takes_the_event() -> None:
    async def scenario() -> Receiver:
        tally = Tally()
        async with receiving(statuses=[500, 503]) as receiver:
            hooks = hooks_to(receiver.url, tally, backoff=0.05)
            await hooks.start()
            hooks.post(ended_event(hooks))
            await until(lambda: tally["webhooks_delivered_total"] == 1)
            await hooks.stop(1)
        assert tally == {"webhooks_retries_total": 2, "webhooks_delivered_total": 1}
        return receiver
    receiver = asyncio.run(scenario())
    assert [r.status for r in receiver.got] == [500, 503, 200]
    assert len({r.event["id"] for r in receiver.got}) == 1  # one event, three attempts
    assert all(r.signed for r in receiver.got)  # each attempt signed afresh


def test_a_receiver_that_times_out_is_given_up_after_max_attempts_logged_and_counted(
        caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        tally = Tally()
        async with receiving(delay=2.0) as receiver:
            hooks = hooks_to(receiver.url, tally, timeout=0.2, backoff=0.05, max_attempts=2)
            await hooks.start()
            hooks.post(ended_event(hooks))
            await until(lambda: tally["webhooks_failed_total"] == 1)
            assert len(receiver.got) == 2 and hooks.owed() == 0
            await hooks.stop(0)
        assert tally == {"webhooks_retries_total": 1, "webhooks_failed_total": 1}
    with caplog.at_level(logging.WARNING, logger="dialplan.webhooks"):
        asyncio.run(scenario())
    assert "given up after 2 attempt(s): no answer within 0.2 s" in caplog.text


def test_a_redirect_is_not_followed_so_a_signed_event_goes_nowhere_else() -> None:
    async def scenario() -> None:
        tally = Tally()
        async with receiving(statuses=[302]) as receiver:
            hooks = hooks_to(receiver.url, tally, max_attempts=1)
            await hooks.start()
            hooks.post(ended_event(hooks))
            await until(lambda: tally["webhooks_failed_total"] == 1)
            await hooks.stop(0)
        assert [r.status for r in receiver.got] == [302]
    asyncio.run(scenario())


def test_events_owed_at_stop_are_delivered_within_the_grace() -> None:
    async def scenario() -> None:
        tally = Tally()
        async with receiving(delay=0.1) as receiver:
            hooks = hooks_to(receiver.url, tally)
            await hooks.start()
            for _ in range(10):
                hooks.post(ended_event(hooks))
            await hooks.stop(5)
            assert len(receiver.taken()) == 10 and tally["webhooks_delivered_total"] == 10
    asyncio.run(scenario())


def test_only_the_events_configured_are_sent() -> None:
    hooks = hooks_to("http://127.0.0.1:9/x", Tally(), events=frozenset({"answered"}))
    assert ended_event(hooks) == []
