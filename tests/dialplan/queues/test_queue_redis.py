"""What only the Redis book does (its rules are in test_queue_book.py): several clients,
on as many hosts, see one book that outlives them; the supervisor purges without an
event loop; an unreachable Redis is reported at once, and fails a caller's queue step
rather than the call. Against a real redis-server; nothing mocked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dialplan.config import ServeConfig, ServeConfigError, load_serve_config
from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.queues.redis_book import RedisQueueStore, purge_sync
from dialplan.runtime.queues import QueueService, member_id
from tests.support.harness import wait_until
from tests.support.redis_server import free_port, running_redis

A, B = "sip:a@127.0.0.1", "sip:b@127.0.0.1"


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with running_redis(tmp_path) as running:
        yield running


def dead_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_two_hosts_see_one_book(url: str) -> None:
    async def scenario() -> None:
        here, there = RedisQueueStore(url), RedisQueueStore(url)
        assert await here.join("help", "a:1:1", 5) == 1
        assert await there.join("help", "b:1:1", 5) == 2
        assert await there.claim("help", "b:1:1", [A], False) == []  # not first
        assert await here.claim("help", "a:1:1", [A, B], True) == [A]
        await here.leave("help", "a:1:1", "answered", 1.0)
        assert await there.claim("help", "b:1:1", [A, B], True) == [B]  # A taken
        assert (await here.snapshot())["help"]["callers"] == ["b:1:1"]
        await asyncio.gather(here.close(), there.close())

    asyncio.run(scenario())


def test_waits_and_statistics_outlive_the_clients(url: str) -> None:
    async def first_run() -> None:
        store = RedisQueueStore(url)
        await store.join("help", "a:1:1", 5)
        await store.join("help", "a:1:2", 5)
        await store.leave("help", "a:1:2", "timed_out", 30.0)
        await store.close()

    async def second_run() -> object:
        store = RedisQueueStore(url)
        try:
            return await store.snapshot()
        finally:
            await store.close()

    asyncio.run(first_run())
    snapshot: Any = asyncio.run(second_run())
    assert snapshot["help"]["callers"] == ["a:1:1"]
    assert snapshot["help"]["timed_out"] == 1


def test_the_supervisor_purges_without_an_event_loop(url: str) -> None:
    async def fill() -> None:
        store = RedisQueueStore(url)
        await store.join("help", "pbx-a:7:1", 5)
        await store.join("help", "pbx-b:7:1", 5)
        await store.claim("help", "pbx-a:7:1", [A], False)
        await store.close()

    asyncio.run(fill())
    assert purge_sync(url, "pbx-a:7:") == 2  # the caller and the agent they held
    assert purge_sync(url, "pbx-a:") == 0


def test_a_dead_redis_raises_connection_error_promptly() -> None:
    async def scenario() -> None:
        store = RedisQueueStore(dead_url())
        with pytest.raises(ConnectionError, match=r"queue store redis://127\.0\.0\.1"):
            await store.join("help", "a:1:1", 5)
        await store.close()

    started = time.monotonic()
    asyncio.run(scenario())
    with pytest.raises(ConnectionError):
        purge_sync(dead_url(), "a:1:")
    assert time.monotonic() - started < 2.0


def queue_service(url: str) -> QueueService:
    """A QueueService on Redis with just the context `enqueue` reads before ringing."""
    context: Any = SimpleNamespace(config=ServeConfig(node="pbx-a"))
    return QueueService(RedisQueueStore(url), context)


HELP = cmd.Enqueue(queue="help", agents=(A,), music=None, max_wait=30, ring_timeout=5,
                   strategy="ringall")


def test_a_dead_redis_fails_the_queue_step_not_the_call(caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    service, posted = queue_service(dead_url()), list[ev.Event]()

    async def scenario() -> None:
        await service.enqueue(SimpleNamespace(id="in-1"), HELP, posted.append)
        await service.store.close()

    asyncio.run(scenario())
    assert posted == [ev.QueueResult("failed")]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "queue help failed call pbx-a:" in errors[0]


async def in_line(store: RedisQueueStore, queue: str) -> bool:
    """Whether a caller waits in `queue` of the book."""
    return bool((await store.snapshot()).get(queue, {}).get("callers"))


def test_redis_going_away_while_a_caller_waits_fails_the_queue_step(tmp_path: Path) -> None:
    posted: list[ev.Event] = []

    async def scenario() -> None:
        with running_redis(tmp_path) as url:
            service = queue_service(url)
            await service.store.join("help", "other:1:1", 5)  # the agent is busy
            await service.store.claim("help", "other:1:1", [A], False)
            await service.store.leave("help", "other:1:1", "answered", 1.0)
            waiting = asyncio.create_task(
                service.enqueue(SimpleNamespace(id="in-1"), HELP, posted.append))
            await wait_until(lambda: in_line(service.store, "help"), 5)  # finding no agent
        started = time.monotonic()
        await asyncio.wait_for(waiting, 5)
        assert time.monotonic() - started < 3  # the next claim (after 1 s) fails fast
        await service.store.close()

    asyncio.run(scenario())
    assert posted == [ev.QueueResult("failed")]


def test_member_ids_name_the_node_so_two_services_on_one_host_differ() -> None:
    assert member_id("in-1", "host/127.0.0.2:5060").startswith("host/127.0.0.2:5060:")
    assert member_id("in-1", "host/127.0.0.2:5060") != member_id("in-1", "host/127.0.0.3")
    assert member_id("in-1").split(":")[-1] == "in-1"  # no node: the host name


def test_a_queue_store_that_is_not_a_redis_url_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "dialplan.toml"
    config.write_text('[serve]\nqueue_store = "http://127.0.0.1:6379"\nnode = "pbx-a"\n')
    with pytest.raises(ServeConfigError, match="not a redis:// or unix:// URL"):
        load_serve_config(config)
    config.write_text('[serve]\nqueue_store = "unix:///run/redis.sock"\nnode = "pbx-a"\n')
    loaded = load_serve_config(config)
    assert (loaded.queue_store, loaded.node) == ("unix:///run/redis.sock", "pbx-a")


def test_a_lone_service_with_a_node_name_clears_its_earlier_runs_leftovers(
        url: str, tmp_path: Path) -> None:
    from tests.support.harness import serving

    async def leftovers() -> None:  # a crashed run of node `lone`, and another node
        store = RedisQueueStore(url)
        await store.join("help", "lone:99:in-1", 5)
        await store.join("help", "other:7:in-1", 5)
        await store.close()

    async def callers() -> object:
        store = RedisQueueStore(url)
        found = (await store.snapshot())["help"]["callers"]
        await store.close()
        return found

    asyncio.run(leftovers())
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text("route 1 -> f\nflow f { s: answer; hangup }\n")
    with serving(folder, tmp_path, settings=f'queue_store = "{url}"\nnode = "lone"\n'):
        assert asyncio.run(callers()) == ["other:7:in-1"]


def test_a_queue_lease_must_be_a_positive_number_of_seconds(tmp_path: Path) -> None:
    config = tmp_path / "dialplan.toml"
    for wrong in ("0", "-5", '"long"'):
        config.write_text(f"[serve]\nqueue_lease = {wrong}\n")
        with pytest.raises(ServeConfigError, match="queue_lease must be a positive"):
            load_serve_config(config)
    config.write_text("[serve]\nqueue_lease = 2.5\n")
    assert load_serve_config(config).queue_lease == 2.5
