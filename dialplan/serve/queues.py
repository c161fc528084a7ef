"""Queues declared in the plans: callers wait with music until an agent answers.

One QueueService per service process for now; it keeps which agents are busy so two
callers never ring the same agent at once. (Sharing queues between engine processes
is the job of the multi-process service.) Strategy `ringall` rings every free agent;
`roundrobin` rings one at a time, starting after the last one who answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..machine import commands as cmd
from ..machine import events as ev
from ..prompts.library import find_prompt
from .dialer import _ring, bridge_until_end, hang_up_losers
from .targets import allowed, to_uri

log = logging.getLogger(__name__)
RETRY_PAUSE = 1.0  # seconds between rounds when no agent answered


@dataclass
class QueueState:
    waiting: list[str] = field(default_factory=list)  # caller session ids, in order
    next_agent: int = 0
    answered: int = 0
    abandoned: int = 0
    wait_seconds: list[float] = field(default_factory=list)


class QueueService:
    def __init__(self) -> None:
        self.queues: dict[str, QueueState] = {}
        self.busy_agents: set[str] = set()
        self.context: Any = None  # set by the service once the context exists

    def snapshot(self) -> dict[str, dict[str, object]]:
        return {name: {"waiting": len(q.waiting), "answered": q.answered,
                       "abandoned": q.abandoned} for name, q in self.queues.items()}

    def position(self, queue: str, caller_id: str) -> int:
        waiting = self.queues.get(queue, QueueState()).waiting
        return waiting.index(caller_id) + 1 if caller_id in waiting else 0

    async def enqueue(self, caller: Any, command: cmd.Enqueue,
                      post: Callable[[ev.Event], None]) -> None:
        state = self.queues.setdefault(command.queue, QueueState())
        agents = [to_uri(a, self.context.config) for a in command.agents]
        agents = [a for a in agents if allowed(a, self.context.config)]
        if not agents:
            post(ev.QueueResult("failed"))
            return
        state.waiting.append(caller.id)
        started = time.monotonic()
        music: str | None = None
        try:  # from here on, however this ends, the caller leaves the line
            music = await self._music(caller, command)
            async with asyncio.timeout(command.max_wait):
                leg, agent = await self._find_agent(state, caller.id, agents, command)
        except TimeoutError:
            state.abandoned += 1
            post(ev.QueueResult("noanswer"))
            return
        finally:
            if caller.id in state.waiting:
                state.waiting.remove(caller.id)
            if music is not None:
                with contextlib.suppress(Exception):
                    await caller.stop_playback(music)
        state.answered += 1
        state.wait_seconds.append(time.monotonic() - started)
        self.context.metrics.observe("queue_wait_seconds", time.monotonic() - started)
        try:
            await bridge_until_end(self.context, caller, leg, ev.QueueResult("answered"), post,
                                   failed=ev.QueueResult("failed"))
        finally:
            self.busy_agents.discard(agent)

    async def _music(self, caller: Any, command: cmd.Enqueue) -> str | None:
        if command.music is None:
            return None
        path = find_prompt(command.music, self.context.config.prompt_dirs,
                           self.context.config.language)
        if path is None:
            log.warning("hold music %r not found", command.music)
            return None
        try:
            playback: str = await caller.play(str(path), loop=True)
        except Exception as error:  # the caller left meanwhile, or the file is unplayable
            log.warning("hold music %s not played: %s", path.name, error)
            return None
        return playback

    async def _find_agent(self, state: QueueState, caller_id: str, agents: list[str],
                          command: cmd.Enqueue) -> tuple[Any, str]:
        """Ring free agents whenever this caller is first in line, until one answers."""
        while True:
            if state.waiting and state.waiting[0] == caller_id:
                free = [a for a in agents if a not in self.busy_agents]
                if command.strategy == "roundrobin" and free:
                    free = [free[state.next_agent % len(free)]]
                    state.next_agent += 1
                found = await self._ring_all(free, command.ring_timeout)
                if found is not None:
                    return found
            await asyncio.sleep(RETRY_PAUSE)

    async def _ring_all(self, agents: list[str], timeout: float) -> tuple[Any, str] | None:
        """The first agent to answer (kept busy) and their URI; the others are freed."""
        if not agents:
            return None
        self.busy_agents.update(agents)
        tasks = {asyncio.create_task(_ring(self.context, a, timeout)): a for a in agents}
        winner: tuple[Any, str] | None = None
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
            self.busy_agents.difference_update(set(agents) - keep)
        return winner
