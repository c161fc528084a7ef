"""The queue book in Redis, for services on several hosts (`[serve] queue_store`).

Why Redis: one book for every host, that outlives any process, reload or restart of
the services (waits and statistics included). Same rules and answers as QueueBook
(queue_book.py); join, leave, claim and purge are Lua scripts, so each is one atomic
step however many hosts ask at once. Keys, under `dialplan:`:

    dialplan:queues               set of queue names
    dialplan:q:{queue}:waiting    list of member ids, in arrival order
    dialplan:q:{queue}:stats      hash: answered, abandoned, timed_out, total_wait,
                                  next_agent (the roundrobin cursor)
    dialplan:taken                hash: agent -> the member who claimed them

`purge` finds the queues' keys from the set inside its script, so the book wants one
Redis server (a primary with replicas or Sentinel), not a Cluster.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis
import redis.asyncio
import redis.asyncio.retry
import redis.retry
from redis.backoff import ExponentialBackoff

from .queue_book import METHODS, check_prefix, counter_for, queue_summary

KEYS = "dialplan:"
# A store that cannot reach Redis must say so within a call's patience, not hang it:
# short timeouts, one quick retry (for a connection Redis closed while idle).
CONNECT_TIMEOUT, TIMEOUT = 1.0, 2.0


def _backoff() -> ExponentialBackoff:
    return ExponentialBackoff(cap=0.2, base=0.05)

JOIN = """
redis.call('SADD', KEYS[2], ARGV[1])
local position = redis.call('LPOS', KEYS[1], ARGV[2])
if position then return position + 1 end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
return redis.call('RPUSH', KEYS[1], ARGV[2])
"""
LEAVE = """
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('LREM', KEYS[1], 0, ARGV[2])
if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[2], ARGV[3], 1) end
if ARGV[3] == 'answered' then redis.call('HINCRBYFLOAT', KEYS[2], 'total_wait', ARGV[4]) end
"""
CLAIM = """
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return {} end
local free = {}
for i = 3, #ARGV do
  if redis.call('HEXISTS', KEYS[3], ARGV[i]) == 0 then table.insert(free, ARGV[i]) end
end
if ARGV[2] == '1' and #free > 0 then
  local cursor = redis.call('HINCRBY', KEYS[2], 'next_agent', 1) - 1
  free = {free[cursor % #free + 1]}
end
for _, agent in ipairs(free) do redis.call('HSET', KEYS[3], agent, ARGV[1]) end
return free
"""
PURGE = """
local removed, n = 0, #ARGV[2]
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. 'q:' .. name .. ':waiting'
  for _, member in ipairs(redis.call('LRANGE', key, 0, -1)) do
    if string.sub(member, 1, n) == ARGV[2] then
      removed = removed + redis.call('LREM', key, 0, member)
    end
  end
end
local taken = redis.call('HGETALL', KEYS[2])
for i = 1, #taken, 2 do
  if string.sub(taken[i + 1], 1, n) == ARGV[2] then
    removed = removed + redis.call('HDEL', KEYS[2], taken[i])
  end
end
return removed
"""


def _waiting(queue: str) -> str:
    return f"{KEYS}q:{queue}:waiting"


def _stats(queue: str) -> str:
    return f"{KEYS}q:{queue}:stats"


def _where(url: str) -> str:
    """The URL without its credentials, for error messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


class RedisQueueStore:
    """The async `call(method, *args)` of LocalQueueStore and RemoteQueueStore, on Redis.
    Any Redis failure comes out as ConnectionError, so callers handle one exception."""

    def __init__(self, url: str) -> None:
        self.where = _where(url)
        self.redis: redis.asyncio.Redis = redis.asyncio.Redis.from_url(
            url, decode_responses=True, retry=redis.asyncio.retry.Retry(_backoff(), 1),
            socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=TIMEOUT)
        self._join, self._leave, self._claim, self._purge = (
            self.redis.register_script(s) for s in (JOIN, LEAVE, CLAIM, PURGE))

    async def call(self, method: str, *args: Any) -> object:
        if method not in METHODS:
            raise ValueError(f"no queue book method {method!r}")
        try:
            return await getattr(self, method)(*args)
        except redis.RedisError as error:
            raise ConnectionError(f"queue store {self.where}: {error}") from error

    async def close(self) -> None:
        await self.redis.aclose()

    async def join(self, queue: str, caller: str, limit: int) -> int:
        keys = [_waiting(queue), f"{KEYS}queues"]
        return int(await self._join(keys=keys, args=[queue, caller, limit]))

    async def leave(self, queue: str, caller: str, outcome: str, waited: float) -> None:
        keys = [_waiting(queue), _stats(queue), f"{KEYS}queues"]
        await self._leave(keys=keys, args=[queue, caller, counter_for(outcome) or "", waited])

    async def claim(self, queue: str, caller: str, agents: list[str], roundrobin: bool
                    ) -> list[str]:
        keys = [_waiting(queue), _stats(queue), f"{KEYS}taken"]
        return list(await self._claim(keys=keys, args=[caller, int(roundrobin), *agents]))

    async def release(self, agents: list[str]) -> None:
        if agents:
            await self.redis.hdel(f"{KEYS}taken", *agents)

    async def purge(self, prefix: str) -> int:
        keys = [f"{KEYS}queues", f"{KEYS}taken"]
        return int(await self._purge(keys=keys, args=[KEYS, check_prefix(prefix)]))

    async def snapshot(self) -> dict[str, dict[str, object]]:
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
        script = client.register_script(PURGE)
        keys = [f"{KEYS}queues", f"{KEYS}taken"]
        return int(script(keys=keys, args=[KEYS, check_prefix(prefix)]))
    except redis.RedisError as error:
        raise ConnectionError(f"queue store {_where(url)}: {error}") from error
    finally:
        client.close()
