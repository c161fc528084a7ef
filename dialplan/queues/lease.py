"""A caller's leases in the queue book, kept alive while its call lives.

The book (book.py) forgets a place in line or a claimed agent whose lease runs
out, so that a release lost on the way (the store away for a moment) or a process gone
cannot keep an agent taken forever. A caller still waiting, ringing or bridged renews
its place and the agents it holds three times per lease; a renewal that fails is
logged and tried again at the next turn, so a store away for less than two thirds of
a lease costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from .store import STORE_ERRORS, QueueStore

log = logging.getLogger(__name__)


class Leases:
    """`async with Leases(store, member, seconds) as leases:` renews until the block ends;
    `held` is the agents the caller holds (claimed, and not yet released)."""

    def __init__(self, store: QueueStore, member: str, seconds: float) -> None:
        self.store, self.member, self.seconds = store, member, seconds
        self.held: set[str] = set()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Leases:
        self._task = asyncio.create_task(self._keep())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self.seconds / 3)
            asked = set(self.held)
            try:
                held = await self.store.renew(self.member, sorted(asked), self.seconds)
            except STORE_ERRORS as error:
                log.warning("queue leases of %s not renewed: %s", self.member, error)
                continue
            lost = (asked - set(held)) & self.held  # released meanwhile is not lost
            if lost:
                log.warning("queue member %s lost its claim on %s (lease expired)",
                            self.member, sorted(lost))
