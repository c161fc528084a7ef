"""The Redis queue book's steps as Lua scripts (redis_book.py runs them): each is one
atomic step however many hosts ask at once. Keys, under `dialplan:`:

    dialplan:queues               set of queue names
    dialplan:q:{queue}:waiting    list of member ids, in arrival order
    dialplan:q:{queue}:stats      hash: answered, abandoned, timed_out, total_wait,
                                  next_agent (the roundrobin cursor)
    dialplan:taken                hash: agent -> the member who claimed them
    dialplan:agent_leases         sorted set: agent -> when its claim expires (ms)
    dialplan:member_leases        sorted set: caller in line -> when its place expires
    dialplan:waiters              hash: caller in line -> its queue

Lease times are Redis' own clock (TIME), so hosts need not agree on theirs. Every step
that reads the book first drops what expired (`reconcile`). Scripts find the queues'
keys from their names, so the book wants one Redis server (a primary with replicas or
Sentinel), not a Cluster.
"""

from __future__ import annotations

KEYS = "dialplan:"

_PRELUDE = f"local P = '{KEYS}'\n" + """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function reconcile()
  local now = now_ms()
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', P .. 'member_leases', '-inf', now)) do
    local queue = redis.call('HGET', P .. 'waiters', m)
    if queue then redis.call('LREM', P .. 'q:' .. queue .. ':waiting', 0, m) end
    redis.call('HDEL', P .. 'waiters', m)
  end
  redis.call('ZREMRANGEBYSCORE', P .. 'member_leases', '-inf', now)
  for _, agent in ipairs(redis.call('ZRANGEBYSCORE', P .. 'agent_leases', '-inf', now)) do
    redis.call('HDEL', P .. 'taken', agent)
  end
  redis.call('ZREMRANGEBYSCORE', P .. 'agent_leases', '-inf', now)
  return now
end
local function forget_member(m)
  redis.call('HDEL', P .. 'waiters', m)
  redis.call('ZREM', P .. 'member_leases', m)
end
local function free_agent(agent)
  redis.call('ZREM', P .. 'agent_leases', agent)
  return redis.call('HDEL', P .. 'taken', agent)
end
"""

# ARGV: queue, caller, limit, lease (ms)
JOIN = _PRELUDE + """
local now = reconcile()
local waiting = P .. 'q:' .. ARGV[1] .. ':waiting'
redis.call('SADD', P .. 'queues', ARGV[1])
local position = redis.call('LPOS', waiting, ARGV[2])
if not position then
  if redis.call('LLEN', waiting) >= tonumber(ARGV[3]) then return 0 end
  position = redis.call('RPUSH', waiting, ARGV[2]) - 1
end
redis.call('HSET', P .. 'waiters', ARGV[2], ARGV[1])
redis.call('ZADD', P .. 'member_leases', now + tonumber(ARGV[4]), ARGV[2])
return position + 1
"""
# ARGV: queue, caller, counter ('' for none), seconds waited
LEAVE = _PRELUDE + """
local stats = P .. 'q:' .. ARGV[1] .. ':stats'
redis.call('SADD', P .. 'queues', ARGV[1])
redis.call('LREM', P .. 'q:' .. ARGV[1] .. ':waiting', 0, ARGV[2])
forget_member(ARGV[2])
if ARGV[3] ~= '' then redis.call('HINCRBY', stats, ARGV[3], 1) end
if ARGV[3] == 'answered' then redis.call('HINCRBYFLOAT', stats, 'total_wait', ARGV[4]) end
"""
# ARGV: queue, caller, roundrobin ('1' or '0'), lease (ms), agents...
# An agent taken without a lease (an older version's claim) counts as free.
CLAIM = _PRELUDE + """
local now = reconcile()
if redis.call('LINDEX', P .. 'q:' .. ARGV[1] .. ':waiting', 0) ~= ARGV[2] then return {} end
local expiry = now + tonumber(ARGV[4])
redis.call('ZADD', P .. 'member_leases', expiry, ARGV[2])
local free = {}
for i = 5, #ARGV do
  if redis.call('HEXISTS', P .. 'taken', ARGV[i]) == 0
      or not redis.call('ZSCORE', P .. 'agent_leases', ARGV[i]) then
    table.insert(free, ARGV[i])
  end
end
if ARGV[3] == '1' and #free > 0 then
  local cursor = redis.call('HINCRBY', P .. 'q:' .. ARGV[1] .. ':stats', 'next_agent', 1) - 1
  free = {free[cursor % #free + 1]}
end
for _, agent in ipairs(free) do
  redis.call('HSET', P .. 'taken', agent, ARGV[2])
  redis.call('ZADD', P .. 'agent_leases', expiry, agent)
end
return free
"""
# ARGV: caller, lease (ms), agents...; returns the agents the caller still holds
RENEW = _PRELUDE + """
local expiry = reconcile() + tonumber(ARGV[2])
if redis.call('HEXISTS', P .. 'waiters', ARGV[1]) == 1 then
  redis.call('ZADD', P .. 'member_leases', expiry, ARGV[1])
end
local held = {}
for i = 3, #ARGV do
  if redis.call('HGET', P .. 'taken', ARGV[i]) == ARGV[1] then
    redis.call('ZADD', P .. 'agent_leases', expiry, ARGV[i])
    table.insert(held, ARGV[i])
  end
end
return held
"""
# ARGV: caller, agents...: frees those the caller holds
RELEASE = _PRELUDE + """
for i = 2, #ARGV do
  if redis.call('HGET', P .. 'taken', ARGV[i]) == ARGV[1] then free_agent(ARGV[i]) end
end
"""
# ARGV: member prefix
PURGE = _PRELUDE + """
local removed, n = 0, #ARGV[1]
for _, name in ipairs(redis.call('SMEMBERS', P .. 'queues')) do
  local key = P .. 'q:' .. name .. ':waiting'
  for _, member in ipairs(redis.call('LRANGE', key, 0, -1)) do
    if string.sub(member, 1, n) == ARGV[1] then
      removed = removed + redis.call('LREM', key, 0, member)
      forget_member(member)
    end
  end
end
local taken = redis.call('HGETALL', P .. 'taken')
for i = 1, #taken, 2 do
  if string.sub(taken[i + 1], 1, n) == ARGV[1] then removed = removed + free_agent(taken[i]) end
end
return removed
"""
RECONCILE = _PRELUDE + "reconcile()\n"
SCRIPTS = {"join": JOIN, "leave": LEAVE, "claim": CLAIM, "renew": RENEW, "release": RELEASE,
           "purge": PURGE, "reconcile": RECONCILE}
