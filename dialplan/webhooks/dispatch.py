"""The service's webhooks: one Destination per configured URL, and what a call uses.

A call gets a Lifecycle from `lifecycle()` and hands whatever it returns to `post()`,
which serializes each event once and puts it in every URL's outbox: no I/O, no await,
so a dead or slow receiver costs a call nothing. Senders start with the service (after
a pool's fork: each worker sends its own calls' events, the supervisor none) and get up
to `grace` seconds at the end to deliver what is owed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from collections.abc import Iterable

import aiohttp

from ..machine import CallInfo
from .lifecycle import CallIdentity, Lifecycle, Payload, new_id
from .outbox import Delivery
from .sender import Counts, Destination
from .settings import WebhookConfig

log = logging.getLogger("dialplan.webhooks")


class _Uncounted:
    def count(self, name: str, amount: float = 1) -> None:
        """Nobody asked for counts (webhooks off, or a tool without metrics)."""


class Webhooks:
    def __init__(self, config: WebhookConfig | None = None, counts: Counts | None = None,
                 node: str = "") -> None:
        self.config = config or WebhookConfig()
        self.counts: Counts = counts if counts is not None else _Uncounted()
        self.node = node or socket.gethostname()
        self.destinations = [Destination(url, self.config, self.counts)
                             for url in self.config.urls]
        self.session: aiohttp.ClientSession | None = None

    def lifecycle(self, session_id: str, sip_call_id: str, info: CallInfo,
                  plan_version: str) -> Lifecycle:
        identity = CallIdentity(new_id(), f"{self.node}:{os.getpid()}:{session_id}",
                                sip_call_id, info.caller, info.called, plan_version)
        return Lifecycle(identity, self.config.events if self.destinations else frozenset())

    def post(self, payloads: Iterable[Payload]) -> None:
        """Owe each event to every URL. Never waits, never raises for a receiver."""
        if not self.destinations:
            return
        for payload in payloads:
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
            for destination in self.destinations:
                destination.outbox.put(Delivery(payload["event"], payload["id"], body))

    def owed(self) -> int:
        """Deliveries not yet done: ready, waiting to retry, or being sent."""
        return sum(len(destination.outbox) for destination in self.destinations)

    async def start(self) -> None:
        if not self.destinations:
            return
        self.session = aiohttp.ClientSession()
        for destination in self.destinations:
            destination.start(self.session)
        log.info("webhooks to %s: %s", ", ".join(self.config.urls),
                 ", ".join(sorted(self.config.events)))

    async def stop(self, grace: float) -> None:
        """Let the senders deliver what is owed for up to `grace` seconds, then stop."""
        deadline = time.monotonic() + grace
        while self.owed() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.owed():
            log.warning("webhooks: %d deliveries still owed at stop are lost", self.owed())
        for destination in self.destinations:
            await destination.stop()
        if self.session is not None:
            await self.session.close()
