"""The driver's end of an engine process (lines.py): start it, talk to it, end it.

Why a thread reads its output: replies to requests and news from the wire (a REFER,
the far end hanging up) arrive on the same pipe at any time, while a scenario's step
or a test blocks waiting for one of them. Every wait is bounded, and `close` always
leaves no process behind: ask it to stop, then kill it.
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from .lines import PREFIX

READY_TIMEOUT = 20.0
REPLY_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
MEDIA_PORTS = 20  # RTP ports per caller: one call, and the leg a REFER makes it place

T = TypeVar("T")


class CallerError(Exception):
    """The engine process failed to start, answer a request, or stay alive."""


class RequestFailed(CallerError):
    """A request the engine process answered with an error (its type and SIP status)."""

    def __init__(self, op: str, reply: dict[str, Any]) -> None:
        super().__init__(f"`{op}` failed: {reply['error']}: {reply['message']}")
        self.kind: str = reply["error"]
        self.status: int | None = reply.get("status")


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


class EngineProcess:
    """An engine process (`argv` runs lines.serve), its replies and news collected."""

    def __init__(self, argv: Sequence[str], cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            list(argv), cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.news: list[dict[str, Any]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._stderr: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            if not line.startswith(PREFIX):
                continue  # pjsua2's own start-up lines
            message = json.loads(line[len(PREFIX):])
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

    def request(self, op: str, deadline: float = REPLY_TIMEOUT, **args: Any) -> Any:
        """Send a request and wait up to `deadline` s for its result; RequestFailed if
        the engine answers with an error, CallerError if no answer comes."""
        number = next(self._ids)
        self._send({"id": number, "op": op, "args": args})
        reply = self._wait(lambda: self._replies.pop(number, None), deadline, f"`{op}`")
        if not reply["ok"]:
            raise RequestFailed(op, reply)
        return reply["result"]

    def wait_news(self, event: str, timeout: float, count: int = 1) -> dict[str, Any] | None:
        """The `count`-th piece of news of this kind, waiting up to `timeout` seconds."""
        try:
            return self._wait(lambda: self._news(event, count), timeout, f"news `{event}`")
        except CallerError:
            return None

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> dict[str, Any]:
        """The engine's `ready` news; CallerError (and no process left) if it never comes."""
        try:
            return self._wait(lambda: self._news("ready", 1), timeout, "news `ready`")
        except CallerError:
            self.close()
            raise

    def _news(self, event: str, count: int) -> dict[str, Any] | None:
        matching = [n for n in self.news if n["event"] == event]
        return matching[count - 1] if len(matching) >= count else None

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except OSError as error:
            raise CallerError(f"the engine process is gone: {error}") from None

    def _wait(self, ready: Callable[[], T | None], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        with self._changed:
            while (value := ready()) is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    tail = "\n".join(self._stderr[-5:])
                    raise CallerError(f"no {what} from the engine process within "
                                      f"{timeout:g} s{': ' + tail if tail else ''}")
                self._changed.wait(min(left, 0.5))
            return value

    def close(self, timeout: float = STOP_TIMEOUT) -> int:
        """Stop the engine (it hangs up what is left), kill it if it lingers; the exit code."""
        if self.process.poll() is None and self.process.stdin is not None:
            try:
                self._send({"id": 0, "op": "stop"})
                self.process.stdin.close()
            except (OSError, CallerError):
                pass
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.wait(timeout=5)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def start_caller() -> EngineProcess:
    """A live scenario's caller (caller.py) on free media ports, ready to call."""
    media = free_udp_block(MEDIA_PORTS)
    caller = EngineProcess([sys.executable, "-m", "dialplan.live.caller",
                            "--media-ports", f"{media}-{media + MEDIA_PORTS - 1}"])
    caller.wait_ready()
    return caller
