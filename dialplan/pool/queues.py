"""Where a pool's queue book lives, and keeping it honest when workers die.

With `[serve] queue_store` (Redis) the book is shared with other hosts and the workers
talk to Redis themselves; otherwise the supervisor holds the book and serves it to its
workers over a Unix socket. Either way, a worker that dies cannot say goodbye for its
callers, so the supervisor purges that process's members (waiting callers, agents they
held); at start it clears what a previous run of this node left behind in Redis.
"""

from __future__ import annotations

import logging
import socketserver
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.queues.book import QueueBook
from dialplan.queues.socket_server import serve_queue_book

log = logging.getLogger("dialplan.pool")


class PoolQueues:
    def __init__(self, config: ServeConfig, socket_path: Path) -> None:
        self.config, self.socket_path = config, socket_path
        self.book: QueueBook | None = None
        self._server: socketserver.BaseServer | None = None

    def start(self) -> ServeConfig:
        """Start serving (or clean up) the book; returns the workers' configuration."""
        if self.config.queue_store:
            self._purge(f"{self.config.node}:", "left by a previous run")
            return self.config
        self.book = QueueBook()
        self._server = serve_queue_book(self.book, self.socket_path)
        return self.config.with_overrides(queue_socket=self.socket_path)

    def forget(self, pid: int) -> None:
        """A worker process is gone: its callers leave every queue, its agents are free."""
        self._purge(f"{self.config.node}:{pid}:", f"of dead process {pid}")

    def _purge(self, prefix: str, whose: str) -> None:
        try:
            if self.book is not None:
                removed = self.book.purge(prefix)
            elif self.config.queue_store:
                from dialplan.queues.redis_book import (
                    purge_sync,  # redis only for pools that use it
                )

                removed = purge_sync(self.config.queue_store, prefix)
            else:
                return
        except Exception as error:  # Redis away: the queue's own timeouts still apply
            log.error("queue members %s not purged: %s", whose, error)
            return
        if removed:
            log.info("queue members %s purged: %d", whose, removed)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
