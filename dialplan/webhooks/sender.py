"""Delivering one URL's outbox: a few sender tasks POST each delivery, signed afresh on
every attempt, and hand a failed one back to the outbox to retry after an exponential
backoff (`backoff`, twice that, four times...), up to `max_attempts` in all.

An attempt succeeds on a 2xx answer within `timeout` seconds. Anything else fails it:
another status, a redirect (never followed: a signed event goes only where it was
configured to), a refused or reset connection, the timeout. A delivery whose last
attempt fails is given up, logged and counted; so is one the outbox drops.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

import aiohttp

from .outbox import Delivery, Outbox
from .settings import WebhookConfig
from .signing import HEADER, signature

log = logging.getLogger("dialplan.webhooks")
SENDERS = 4  # deliveries in flight per URL: a slow receiver holds no more tasks
USER_AGENT = "dialplan-webhooks/1"
DROPS_LOGGED = 1000  # a drop is logged, then every 1000th


class Counts(Protocol):
    """Where outcomes are counted (the service's Metrics)."""

    def count(self, name: str, amount: float = 1) -> None: ...


class Destination:
    """One configured URL: its outbox and its senders."""

    def __init__(self, url: str, config: WebhookConfig, counts: Counts) -> None:
        self.url, self.config, self.counts = url, config, counts
        self.outbox = Outbox(config.queue_size, self._dropped)
        self.tasks: list[asyncio.Task[None]] = []
        self.drops = 0

    def start(self, session: aiohttp.ClientSession) -> None:
        self.tasks = [asyncio.create_task(self._send_all(session), name=f"webhook {self.url}")
                      for _ in range(SENDERS)]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.outbox.close()

    async def _send_all(self, session: aiohttp.ClientSession) -> None:
        while True:
            delivery = await self.outbox.take()
            try:
                await self._attempt(session, delivery)
            except Exception:  # a sender must outlive any one delivery's surprise
                self.counts.count("webhooks_failed_total")
                log.exception("webhook %s %s to %s failed", delivery.event,
                              delivery.event_id, self.url)
            finally:
                self.outbox.sent()

    async def _attempt(self, session: aiohttp.ClientSession, delivery: Delivery) -> None:
        delivery.attempts += 1
        why = await self._post(session, delivery)
        if why is None:
            self.counts.count("webhooks_delivered_total")
            return
        if delivery.attempts >= self.config.max_attempts:
            self.counts.count("webhooks_failed_total")
            log.warning("webhook %s %s to %s given up after %d attempt(s): %s",
                        delivery.event, delivery.event_id, self.url, delivery.attempts, why)
            return
        self.counts.count("webhooks_retries_total")
        delay = self.config.backoff * 2 ** (delivery.attempts - 1)
        log.info("webhook %s %s to %s: %s; retry in %.1f s", delivery.event,
                 delivery.event_id, self.url, why, delay)
        self.outbox.retry(delivery, delay)

    async def _post(self, session: aiohttp.ClientSession, delivery: Delivery) -> str | None:
        """None when the receiver took it; else why not."""
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "X-Dialplan-Event": delivery.event,
                   "X-Dialplan-Event-Id": delivery.event_id,
                   HEADER: signature(self.config.secret, delivery.body, int(time.time()))}
        try:
            async with session.post(self.url, data=delivery.body, headers=headers,
                                    allow_redirects=False,
                                    timeout=aiohttp.ClientTimeout(total=self.config.timeout)
                                    ) as response:
                if 200 <= response.status < 300:
                    return None
                return f"answered {response.status}"
        except TimeoutError:
            return f"no answer within {self.config.timeout:g} s"
        except aiohttp.ClientError as error:
            return f"{type(error).__name__}: {error}"

    def _dropped(self, delivery: Delivery) -> None:
        self.counts.count("webhooks_dropped_total")
        self.drops += 1
        if self.drops % DROPS_LOGGED == 1:  # a flood is one line per DROPS_LOGGED
            log.warning("webhook %s %s to %s dropped: %d deliveries are owed already "
                        "(%d dropped so far)", delivery.event, delivery.event_id, self.url,
                        self.config.queue_size, self.drops)
