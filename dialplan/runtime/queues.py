"""Queues declared in the plans: callers wait with music until an agent answers.

Who waits in what order and which agents are taken is kept in a queue store (the
QueueStore of dialplan/queues): in this process for a lone service, in the pool's
supervisor when many engine processes share the queues, in Redis when several hosts
do. The caller's own process rings the agents it claimed and bridges the one who
answers. Strategy `ringall` rings every free agent; `roundrobin` rings one at a time,
starting after the last one rung. A store that fails (Redis or the supervisor away)
fails the caller's queue step (`failed`), never the call. The caller's place in line
and its claims on agents are leases, renewed while the call lives (queues/lease.py):
whatever a store failure keeps in the book expires by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable

import engine
from dialplan.config import ServeConfig
from dialplan.queues.lease import Leases
from dialplan.queues.local import LocalQueueStore
from dialplan.queues.socket_server import RemoteQueueStore
from dialplan.queues.store import STORE_ERRORS, QueueStore, Snapshot

from ..machine import commands as cmd
from ..machine import events as ev
from ..prompts.library import find_prompt
from .context import ServiceContext
from .dialer import bridge_until_end, hang_up_losers, ring
from .targets import allowed, to_uri

log = logging.getLogger(__name__)
RETRY_PAUSE = 1.0  # seconds between rounds when no agent answered


def member_id(session_id: str, node: str = "") -> str:
    """A caller's name in a queue book shared by processes and hosts: session ids are
    only unique within one engine process, and two services may share a host name. The
    pool purges a dead process's members by the prefix `node:pid:`."""
    return f"{node or socket.gethostname()}:{os.getpid()}:{session_id}"


def queue_store(config: ServeConfig) -> QueueStore:
    """Redis when several hosts share the queues, the pool supervisor's book when this is
    one of its workers, else a book in this process."""
    if config.queue_store is not None:
        from dialplan.queues.redis_book import (
            RedisQueueStore,  # redis only for services that use it
        )

        return RedisQueueStore(config.queue_store)
    if config.queue_socket is not None:
        return RemoteQueueStore(config.queue_socket)
    return LocalQueueStore()


class QueueService:
    def __init__(self, store: QueueStore, context: ServiceContext) -> None:
        self.store, self.context = store, context

    async def snapshot(self) -> Snapshot:
        """Per queue: counts, and the waiting callers' call ids in line order (so each
        caller's position is known: its index plus one)."""
        return await self.store.snapshot()

    async def enqueue(self, caller: engine.CallSession, command: cmd.Enqueue,
                      post: Callable[[ev.Event], None]) -> None:
        agents = [to_uri(a, self.context.config) for a in command.agents]
        agents = [a for a in agents if allowed(a, self.context.config)]
        if not agents:
            post(ev.QueueResult("failed"))
            return
        member = member_id(caller.id, self.context.config.node)
        lease = self.context.config.queue_lease
        try:
            position = await self.store.join(command.queue, member, command.max_callers,
                                             lease)
        except STORE_ERRORS as error:
            log.error("queue %s failed call %s: %s", command.queue, member, error)
            post(ev.QueueResult("failed"))
            return
        if not position:
            log.info("queue %s is full (%d callers)", command.queue, command.max_callers)
            post(ev.QueueResult("failed"))
            return
        log.info("call %s waits in queue %s at position %s", member, command.queue, position)
        async with Leases(self.store, member, lease) as leases:
            await self._wait_then_bridge(caller, command, leases, agents, post)

    async def _wait_then_bridge(self, caller: engine.CallSession, command: cmd.Enqueue,
                                leases: Leases, agents: list[str],
                                post: Callable[[ev.Event], None]) -> None:
        member = leases.member
        started = time.monotonic()
        music: str | None = None
        outcome = "gone"
        try:  # from here on, however this ends, the caller leaves the line
            music = await self._music(caller, command)
            async with asyncio.timeout(command.max_wait):
                leg, agent = await self._find_agent(leases, agents, command)
            outcome = "answered"
        except TimeoutError:
            outcome = "timed_out"
            post(ev.QueueResult("noanswer"))
            return
        except STORE_ERRORS as error:  # after TimeoutError, itself an OSError
            outcome = "failed"
            log.error("queue %s failed call %s while waiting: %s", command.queue, member,
                      error)
            post(ev.QueueResult("failed"))
            return
        finally:
            waited = time.monotonic() - started
            with contextlib.suppress(Exception):  # the book must hear of it, even on cancel
                await asyncio.shield(self.store.leave(command.queue, member, outcome, waited))
            if music is not None:
                with contextlib.suppress(Exception):
                    await caller.stop_playback(music)
        self.context.metrics.observe("queue_wait_seconds", waited)
        try:
            await bridge_until_end(self.context, caller, leg, ev.QueueResult("answered"), post,
                                   failed=ev.QueueResult("failed"))
        finally:
            await self._release(leases, [agent])

    async def _music(self, caller: engine.CallSession, command: cmd.Enqueue) -> str | None:
        if command.music is None:
            return None
        path = find_prompt(command.music, self.context.config.prompt_dirs,
                           self.context.config.language)
        if path is None:
            log.warning("hold music %r not found", command.music)
            return None
        try:
            playback = await caller.play(str(path), loop=True)
        except Exception as error:  # the caller left meanwhile, or the file is unplayable
            log.warning("hold music %s not played: %s", path.name, error)
            return None
        return playback

    async def _find_agent(self, leases: Leases, agents: list[str], command: cmd.Enqueue
                          ) -> tuple[engine.CallSession, str]:
        """Ring the agents the book gives this caller (only when first in line, only free
        ones), until one answers."""
        roundrobin = command.strategy == "roundrobin"
        while True:
            free = await self.store.claim(command.queue, leases.member, agents, roundrobin,
                                          leases.seconds)
            leases.held.update(free)
            found = await self._ring_all(leases, free, command.ring_timeout)
            if found is not None:
                return found
            await asyncio.sleep(RETRY_PAUSE)

    async def _ring_all(self, leases: Leases, agents: list[str], timeout: float
                        ) -> tuple[engine.CallSession, str] | None:
        """The first agent to answer (kept busy) and their URI; the others are freed."""
        if not agents:
            return None
        tasks = {asyncio.create_task(ring(self.context, a, timeout)): a for a in agents}
        winner: tuple[engine.CallSession, str] | None = None
        try:
            pending = set(tasks)
            while pending and winner is None:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if winner is None and task.exception() is None:
                        winner = (task.result(), tasks[task])
        finally:
            for task in tasks:
                task.cancel()
            await hang_up_losers(tasks, winner[0] if winner is not None else None)
            keep = {winner[1]} if winner is not None else set()
            await self._release(leases, sorted(set(agents) - keep))
        return winner

    async def _release(self, leases: Leases, agents: list[str]) -> None:
        """Free agents in the book, even when the call is being cancelled. A store away
        keeps them taken until their lease runs out (or the pool purges this process's
        members)."""
        leases.held.difference_update(agents)
        try:
            await asyncio.shield(self.store.release(leases.member, agents))
        except STORE_ERRORS as error:
            log.error("queue agents %s not released: %s", agents, error)
