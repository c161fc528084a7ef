"""How the supervisor waits: on one selector, never in a sleep.

A signal (SIGCHLD, SIGTERM, SIGHUP, ...) writes its number to a socket through
`signal.set_wakeup_fd`, and the plan watcher and the admin thread `poke` the same
socket, so one `select` wakes for all of them, and for the readiness pipes of workers
being started, with a timeout for what is due by the clock (hung checks, the proxy's
probe, a delayed fork). The wakeup fd is process state that fork copies: a worker
unsets it first thing (worker.py).
"""

from __future__ import annotations

import contextlib
import selectors
import signal
import socket


class Wakeup:
    def __init__(self) -> None:
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._reader, selectors.EVENT_READ)

    def catch_signals(self) -> None:
        """From now on a signal with a Python handler wakes `wait` (main thread only)."""
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)

    def poke(self) -> None:
        """Wake `wait` from any thread."""
        with contextlib.suppress(BlockingIOError):  # full: a wakeup is pending anyway
            self._writer.send(b"\0")

    def wait(self, fds: list[int], timeout: float | None) -> set[int]:
        """Those of `fds` readable, once anything happened or `timeout` passed."""
        for fd in fds:
            self._selector.register(fd, selectors.EVENT_READ)
        try:
            events = self._selector.select(timeout)
        finally:
            for fd in fds:
                self._selector.unregister(fd)
        with contextlib.suppress(BlockingIOError):
            while self._reader.recv(4096):
                pass
        return {int(key.fd) for key, _ in events if key.fileobj is not self._reader}

    def close(self) -> None:
        with contextlib.suppress(ValueError):  # not the main thread: nothing was set
            signal.set_wakeup_fd(-1)
        self._selector.close()
        self._reader.close()
        self._writer.close()
