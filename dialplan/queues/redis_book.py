"""The queue book in Redis, for services on several hosts (`[serve] queue_store`).

Why Redis: one book for every host, that outlives any process, reload or restart of
the services (waits and statistics included). Same rules and answers as QueueBook
(book.py), leases included; every step that changes the book is a Lua script
(redis_scripts.py, with the keys), so each is one atomic step however many hosts ask.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import redis
import redis.asyncio
import redis.asyncio.retry
import redis.retry
from redis.backoff import ExponentialBackoff

from .book import LEASE, check_prefix, counter_for, queue_summary
from .redis_scripts import KEYS, SCRIPTS
from .store import Snapshot

# A store that cannot reach Redis must say so within a call's patience, not hang it:
# short timeouts, one quick retry (for a connection Redis closed while idle).
CONNECT_TIMEOUT, TIMEOUT = 1.0, 2.0


def _backoff() -> ExponentialBackoff:
    return ExponentialBackoff(cap=0.2, base=0.05)


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _waiting(queue: str) -> str:
    return f"{KEYS}q:{queue}:waiting"


def _stats(queue: str) -> str:
    return f"{KEYS}q:{queue}:stats"


def _where(url: str) -> str:
    """The URL without its credentials, for error messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


@contextlib.contextmanager
def _reached(where: str) -> Iterator[None]:
    """Any Redis failure as ConnectionError, so callers handle one exception."""
    try:
        yield
    except redis.RedisError as error:
        raise ConnectionError(f"queue store {where}: {error}") from error


class RedisQueueStore:
    """The QueueStore on Redis. Any Redis failure comes out as ConnectionError."""

    def __init__(self, url: str) -> None:
        self.where = _where(url)
        self.redis: redis.asyncio.Redis = redis.asyncio.Redis.from_url(
            url, decode_responses=True, retry=redis.asyncio.retry.Retry(_backoff(), 1),
            socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=TIMEOUT)
        self._scripts = {name: self.redis.register_script(text)
                         for name, text in SCRIPTS.items()}

    async def _run(self, script: str, *args: str | int | float) -> Any:
        with _reached(self.where):
            return await self._scripts[script](args=list(args))

    async def close(self) -> None:
        await self.redis.aclose()

    async def join(self, queue: str, caller: str, limit: int, lease: float = LEASE) -> int:
        return int(await self._run("join", queue, caller, limit, _ms(lease)))

    async def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        await self._run("leave", queue, caller, counter_for(outcome) or "", waited)

    async def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool,
                    lease: float = LEASE) -> list[str]:
        return list(await self._run("claim", queue, caller, int(roundrobin), _ms(lease),
                                    *agents))

    async def renew(self, caller: str, agents: list[str], lease: float = LEASE) -> list[str]:
        return list(await self._run("renew", caller, _ms(lease), *agents))

    async def release(self, caller: str, agents: list[str]) -> None:
        if agents:
            await self._run("release", caller, *agents)

    async def purge(self, prefix: str) -> int:
        return int(await self._run("purge", check_prefix(prefix)))

    async def snapshot(self) -> Snapshot:
        await self._run("reconcile")
        with _reached(self.where):
            names = sorted(str(name) for name in await self.redis.smembers(f"{KEYS}queues"))
            async with self.redis.pipeline(transaction=True) as pipe:
                for name in names:
                    pipe.lrange(_waiting(name), 0, -1)
                    pipe.hgetall(_stats(name))
                found = await pipe.execute()
        return {name: _summary(callers, stats)
                for name, callers, stats in zip(names, found[::2], found[1::2], strict=True)}


def _summary(callers: list[str], stats: dict[str, str]) -> dict[str, object]:
    return queue_summary(callers, int(stats.get("answered", 0)),
                         int(stats.get("abandoned", 0)), int(stats.get("timed_out", 0)),
                         float(stats.get("total_wait", 0.0)))


def purge_sync(url: str, prefix: str) -> int:
    """`purge` for the pool's supervisor, which runs no event loop: same script, blocking
    client. Raises ConnectionError when Redis cannot be reached."""
    client = redis.Redis.from_url(url, decode_responses=True,
                                  retry=redis.retry.Retry(_backoff(), 1),
                                  socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=TIMEOUT)
    try:
        return int(client.register_script(SCRIPTS["purge"])(args=[check_prefix(prefix)]))
    except redis.RedisError as error:
        raise ConnectionError(f"queue store {_where(url)}: {error}") from error
    finally:
        client.close()
