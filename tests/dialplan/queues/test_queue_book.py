"""The queue book's rules, held against every backend alike: the book in this process,
the pool supervisor's book over its Unix socket, and Redis (a real redis-server).

Each test takes the store's (async) steps through `book`, which runs each on the
store's own event loop, so a test reads like a transcript."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from dialplan.queues.book import QueueBook
from dialplan.queues.local import LocalQueueStore
from dialplan.queues.redis_book import RedisQueueStore
from dialplan.queues.socket_server import RemoteQueueStore, serve_queue_book
from dialplan.queues.store import QueueStore
from tests.support.harness import wait_for
from tests.support.redis_server import running_redis

A, B, C = "sip:a@h", "sip:b@h", "sip:c@h"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def book_server() -> Iterator[tuple[QueueBook, Path]]:
    """One pool-style queue server for the module (shutting one down takes 0.5 s)."""
    with tempfile.TemporaryDirectory() as folder:  # short: a Unix socket path's limit
        shared, path = QueueBook(), Path(folder) / "q.sock"
        server = serve_queue_book(shared, path)
        yield shared, path
        server.shutdown()
        server.server_close()


class Book:
    """A store whose steps return their answers: each runs to its end on `loop`."""

    def __init__(self, store: QueueStore, loop: asyncio.AbstractEventLoop) -> None:
        self.store, self.loop = store, loop

    def __getattr__(self, step: str) -> Callable[..., Any]:
        method = getattr(self.store, step)
        return lambda *args: self.loop.run_until_complete(method(*args))


@pytest.fixture(params=["local", "socket", "redis"])
def book(request: pytest.FixtureRequest) -> Iterator[Book]:
    store: QueueStore
    if request.param == "local":
        store = LocalQueueStore(QueueBook())
    elif request.param == "socket":
        shared, path = request.getfixturevalue("book_server")
        shared.queues.clear()
        shared.taken.clear()
        shared.agent_leases.clear()
        shared.member_leases.clear()
        store = RemoteQueueStore(path)
    else:
        url = request.getfixturevalue("redis_url")
        with redis.Redis.from_url(url) as admin:
            admin.flushdb()
        store = RedisQueueStore(url)
    loop = asyncio.new_event_loop()
    try:
        yield Book(store, loop)
    finally:
        loop.run_until_complete(store.close())
        loop.close()


def test_callers_get_their_positions_in_arrival_order(book: Book) -> None:
    assert [book.join("sales", f"n:1:{i}", 10) for i in range(3)] == [1, 2, 3]
    assert book.join("sales", "n:1:1", 10) == 2  # asking again: the same place
    assert book.join("other", "n:1:9", 10) == 1  # each queue has its own line


def test_a_full_queue_answers_position_zero(book: Book) -> None:
    assert book.join("tiny", "n:1:1", 1) == 1
    assert book.join("tiny", "n:1:2", 1) == 0
    assert book.snapshot()["tiny"]["callers"] == ["n:1:1"]


def test_only_the_caller_first_in_line_claims_agents(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    book.join("q", "n:1:2", 10)
    assert book.claim("q", "n:1:2", [A, B], False) == []
    assert book.claim("q", "n:1:9", [A, B], False) == []  # not in line at all
    assert book.claim("q", "n:1:1", [A, B], False) == [A, B]


def test_leaving_lets_the_next_caller_claim(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    book.join("q", "n:1:2", 10)
    book.leave("q", "n:1:1", "gone", 1.0)
    assert book.join("q", "n:1:2", 10) == 1
    assert book.claim("q", "n:1:2", [A], False) == [A]


def test_ringall_claims_every_free_agent_in_the_order_given(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    assert book.claim("q", "n:1:1", [C, A, B], False) == [C, A, B]


def test_roundrobin_claims_one_agent_and_the_next_round_starts_after_it(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    rung = []
    for _ in range(4):
        (agent,) = book.claim("q", "n:1:1", [A, B, C], True)
        rung.append(agent)
        book.release("n:1:1", [agent])
    assert rung == [A, B, C, A]


def test_roundrobin_cursors_are_per_queue(book: Book) -> None:
    book.join("q1", "n:1:1", 10)
    book.join("q2", "n:1:2", 10)
    assert book.claim("q1", "n:1:1", [A, B], True) == [A]
    assert book.claim("q2", "n:1:2", [A, B], True) == [B]  # A is taken; q2 starts at 0


def test_a_taken_agent_is_not_handed_out_twice_even_to_another_queue(book: Book) -> None:
    book.join("q1", "n:1:1", 10)
    book.join("q2", "n:2:1", 10)
    assert book.claim("q1", "n:1:1", [A, B], False) == [A, B]
    assert book.claim("q1", "n:1:1", [A, B], False) == []
    assert book.claim("q2", "n:2:1", [B, C], True) == [C]


def test_released_agents_can_be_claimed_again(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    book.claim("q", "n:1:1", [A, B], False)
    book.release("n:1:1", [A])
    book.release("n:1:1", [])
    assert book.claim("q", "n:1:1", [A, B], False) == [A]


def test_purge_removes_a_process_s_waiting_callers_and_frees_its_agents(book: Book) -> None:
    book.join("q1", "n:7:1", 10)
    book.join("q1", "n:8:1", 10)
    book.join("q2", "n:7:2", 10)
    book.join("q3", "other:7:1", 10)
    book.claim("q1", "n:7:1", [A], False)
    book.claim("q3", "other:7:1", [B], False)
    assert book.purge("n:7:") == 3  # two callers, one agent
    snapshot = book.snapshot()
    assert [snapshot[q]["callers"] for q in ("q1", "q2", "q3")] == [
        ["n:8:1"], [], ["other:7:1"]]
    assert book.claim("q1", "n:8:1", [A, B], False) == [A]  # B: still other's
    assert book.purge("n:7:") == 0


def test_purge_by_node_clears_every_process_of_that_node_only(book: Book) -> None:
    for member in ("n:1:1", "n:2:1", "n2:1:1", "m:1:1"):
        book.join("q", member, 10)
    assert book.purge("n:") == 2
    assert book.snapshot()["q"]["callers"] == ["n2:1:1", "m:1:1"]


def test_purge_refuses_an_empty_prefix(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    with pytest.raises(ValueError):
        book.purge("")
    assert book.snapshot()["q"]["waiting"] == 1


def test_outcomes_count_answered_timed_out_and_abandoned(book: Book) -> None:
    for i, outcome in enumerate(["answered", "answered", "timed_out", "gone", "failed"]):
        book.join("q", f"n:1:{i}", 10)
        book.leave("q", f"n:1:{i}", outcome, 2.0 * (i + 1))
    queue = book.snapshot()["q"]
    assert (queue["answered"], queue["timed_out"], queue["abandoned"]) == (2, 1, 1)
    assert queue["mean_wait"] == pytest.approx(3.0)  # answered calls only: (2 + 4) / 2
    assert queue["waiting"] == 0


def test_an_unknown_outcome_is_refused(book: Book) -> None:
    with pytest.raises(ValueError):
        book.leave("q", "n:1:1", "abandoned", 1.0)


def test_the_queue_server_refuses_a_step_it_does_not_serve(
        book_server: tuple[QueueBook, Path]) -> None:
    async def ask(request: bytes) -> dict[str, Any]:
        reader, writer = await asyncio.open_unix_connection(str(book_server[1]))
        writer.write(request + b"\n")
        answer: dict[str, Any] = json.loads(await reader.readline())
        writer.close()
        return answer

    refused = asyncio.run(ask(b'{"method": "drop_everything", "args": []}'))
    assert refused == {"error": "no queue book step 'drop_everything'"}
    assert asyncio.run(ask(b'{"method": "snapshot"}')) == {"ok": {}}


def test_the_snapshot_shows_every_queue_with_its_callers_in_line(book: Book) -> None:
    assert book.snapshot() == {}
    book.join("sales", "n:1:1", 10)
    book.join("sales", "n:1:2", 10)
    book.join("billing", "n:1:3", 10)
    book.leave("billing", "n:1:3", "answered", 1.5)
    assert book.snapshot() == {
        "billing": {"waiting": 0, "callers": [], "answered": 1, "abandoned": 0,
                    "timed_out": 0, "mean_wait": 1.5},
        "sales": {"waiting": 2, "callers": ["n:1:1", "n:1:2"], "answered": 0,
                  "abandoned": 0, "timed_out": 0, "mean_wait": 0.0},
    }


def test_only_the_holder_releases_its_claim(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    assert book.claim("q", "n:1:1", [A, B], False) == [A, B]
    book.release("n:1:2", [A])  # a late release by someone else: not theirs
    assert book.renew("n:1:1", [A, B, C]) == [A, B]  # what the caller still holds
    book.release("n:1:1", [A])
    assert book.claim("q", "n:1:1", [A, B], False) == [A]


def test_an_agent_whose_claim_is_not_renewed_is_free_again(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    assert book.claim("q", "n:1:1", [A], False, 0.3) == [A]
    book.leave("q", "n:1:1", "gone", 1.0)  # ...and its release was lost
    book.join("q", "n:1:2", 10)
    assert book.claim("q", "n:1:2", [A], False) == []  # still taken, for now
    wait_for(lambda: book.claim("q", "n:1:2", [A], False) == [A], timeout=5)


def test_a_renewed_claim_outlives_its_lease(book: Book) -> None:
    book.join("q", "n:1:1", 10)
    book.claim("q", "n:1:1", [A], False, 0.5)
    book.leave("q", "n:1:1", "answered", 1.0)  # bridged to A: no longer in line
    book.join("q", "n:1:2", 10)
    renewed_until = time.monotonic() + 1.0  # twice the lease
    while time.monotonic() < renewed_until:
        assert book.renew("n:1:1", [A], 0.5) == [A]
        assert book.claim("q", "n:1:2", [A], False) == []
        time.sleep(0.05)  # the pace of the renewals, well within the lease


def test_a_caller_whose_place_is_not_renewed_leaves_the_line(book: Book) -> None:
    book.join("q", "n:1:1", 10, 0.3)  # its process lost it, or Redis lost its leave
    book.join("q", "n:1:2", 10)
    assert book.claim("q", "n:1:2", [A], False) == []  # not first in line, for now
    wait_for(lambda: book.snapshot()["q"]["callers"] == ["n:1:2"], timeout=5)
    assert book.claim("q", "n:1:2", [A], False) == [A]
    assert book.snapshot()["q"]["abandoned"] == 0  # nobody hung up
