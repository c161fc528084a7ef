"""The live driver's end of a caller process (`live_caller`): start it, talk to it, end it.

Why a thread reads its output: replies to commands and news from the wire (a REFER,
the far end hanging up) arrive on the same pipe at any time, while a scenario's step
blocks waiting for one of them. Every wait is bounded, and `close` always leaves no
process behind: ask it to stop, then kill it.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from typing import IO, Any

READY_TIMEOUT = 20.0
REPLY_TIMEOUT = 20.0
MEDIA_PORTS = 20  # RTP ports per caller: one call, and the leg a REFER makes it place


class CallerError(Exception):
    """The caller process failed to start, answer a command, or stay alive."""


def free_udp_block(size: int, host: str = "127.0.0.1") -> int:
    """The first port of `size` consecutive UDP ports that are free right now."""
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(200):
        base = rng.randrange(30000, 60000 - size, 2)
        if all(_udp_free(host, port) for port in range(base, base + size)):
            return base
    raise CallerError("no free block of UDP ports for the caller's media")


def _udp_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class CallerProcess:
    """`python -m dialplan.live.caller`, with its replies and news collected."""

    def __init__(self) -> None:
        media = free_udp_block(MEDIA_PORTS)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dialplan.live.caller",
             "--media-ports", f"{media}-{media + MEDIA_PORTS - 1}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.news: list[dict[str, Any]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._stderr: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()
        try:
            self.wait_news("ready", READY_TIMEOUT)
        except CallerError:
            self.close()
            raise

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            if not line.startswith("@@ "):
                continue  # pjsua2's own start-up lines
            message = json.loads(line[3:])
            with self._changed:
                if "id" in message:
                    self._replies[message["id"]] = message
                else:
                    self.news.append(message)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _drain(self, stream: IO[str]) -> None:
        for line in stream:
            self._stderr = [*self._stderr[-20:], line.rstrip()]

    def request(self, op: str, timeout: float = REPLY_TIMEOUT, **args: Any) -> dict[str, Any]:
        """Send a command and wait for its reply; CallerError if it fails or never comes."""
        number = next(self._ids)
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"id": number, "op": op, **args}) + "\n")
            self.process.stdin.flush()
        except OSError as error:
            raise CallerError(f"the caller process is gone: {error}") from None
        reply = self._wait(lambda: self._replies.pop(number, None), timeout, f"`{op}`")
        if not reply["ok"]:
            raise CallerError(f"`{op}` failed in the caller: {reply['error']}")
        return reply

    def wait_news(self, event: str, timeout: float, count: int = 1) -> dict[str, Any] | None:
        """The `count`-th piece of news of this kind, waiting up to `timeout` seconds."""
        def found() -> dict[str, Any] | None:
            matching = [n for n in self.news if n["event"] == event]
            return matching[count - 1] if len(matching) >= count else None
        try:
            return self._wait(found, timeout, f"news `{event}`")
        except CallerError:
            if event == "ready":
                raise
            return None

    def _wait(self, ready: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while (value := ready()) is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    tail = "\n".join(self._stderr[-5:])
                    raise CallerError(f"no {what} from the caller process within "
                                      f"{timeout:g} s{': ' + tail if tail else ''}")
                self._changed.wait(min(left, 0.5))
            return value

    def close(self) -> None:
        """Stop the caller (its engine hangs up what is left), kill it if it lingers."""
        if self.process.poll() is None and self.process.stdin is not None:
            try:
                self.process.stdin.write(json.dumps({"id": 0, "op": "stop"}) + "\n")
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
