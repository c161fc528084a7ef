"""Test helpers: free ports, WAV tones and energy, and peer processes.

Why subprocesses: one pjsua2 endpoint per process. Each ``PeerProcess`` is a
real engine in its own process on 127.0.0.1 with its own SIP port and RTP
range; it is always killed on teardown, even when a test fails.
"""

from __future__ import annotations

import math
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path
from typing import Any

from dialplan.live.process import EngineProcess

ROOT = Path(__file__).resolve().parents[2]
_taken: dict[int, float] = {}  # port -> when it was handed out
_lock = threading.Lock()
HELD = 150.0  # seconds a handed-out port is not handed out again: longer than a test
# module runs (a module-scoped service binds its RTP ports only while it has calls), short
# enough that a worker's share of ports (worker_ports) is not used up


def _udp_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def worker_ports(low: int = 10000, high: int = 32700) -> range:
    """This test process's share of UDP/TCP ports: under pytest-xdist each worker gets
    its own slice of ``low``-``high``, so two workers never race for one port.

    Below the kernel's ephemeral range (32768-60999), where a client socket of any test
    may sit on a port just "found" free (bind then fails with EADDRINUSE); the live
    driver's callers pick their media ports above it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw0", "gw1"... or unset
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(worker.removeprefix("gw"))
    span = (high - low) // count
    return range(low + index * span, low + (index + 1) * span)


def free_port_block(size: int = 1) -> int:
    """First port of ``size`` consecutive free UDP ports not handed out lately, in this
    worker's share (thread-safe: tests may start callers from several threads)."""
    ports = worker_ports()
    with _lock:
        now = time.monotonic()
        for port in [p for p, when in _taken.items() if now - when > HELD]:
            del _taken[port]  # its test is long over; a bind check still guards it
        rng = random.Random(os.getpid() ^ len(_taken) ^ int(now * 1000))
        start = rng.randrange(ports.start, ports.stop - size, 2)
        # first fit from a random start: a block is found whenever one is free (random
        # tries miss the last large gaps of a worker's share late in a run)
        for base in [*range(start, ports.stop - size, 2), *range(ports.start, start, 2)]:
            block = range(base, base + size)
            if any(p in _taken for p in block) or not all(_udp_free(p) for p in block):
                continue
            _taken.update(dict.fromkeys(block, now))
            return base
        raise RuntimeError("no free UDP port block")


def write_tone(path: Path, freq: float = 440.0, seconds: float = 2.0, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate)))
            for i in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return path


def wav_rms(path: Path) -> tuple[float, float]:
    """(RMS of the samples, duration in seconds) of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as wav:
        data = wav.readframes(wav.getnframes())
        duration = wav.getnframes() / wav.getframerate()
    count = len(data) // 2
    if count == 0:
        return 0.0, 0.0
    samples = struct.unpack(f"<{count}h", data[: count * 2])
    return math.sqrt(sum(s * s for s in samples) / count), duration


class PeerProcess:
    """``python -m tests.engine.peer`` on free ports: the live driver's EngineProcess."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sip_port = free_port_block(1)
        self.media_low = free_port_block(40)
        self.uri = f"sip:{name}@127.0.0.1:{self.sip_port}"
        self.engine = EngineProcess([sys.executable, "-m", "tests.engine.peer"], cwd=ROOT)

    def request(self, op: str, deadline: float = 20.0, **args: Any) -> Any:
        """Send one request; wait up to ``deadline`` s for its result (RequestFailed if
        the peer answers with an error)."""
        return self.engine.request(op, deadline, **args)

    def start(self, **args: Any) -> dict[str, Any]:
        args.setdefault("handler", "auto")
        result: dict[str, Any] = self.request(
            "start",
            sip_port=self.sip_port,
            media_low=self.media_low,
            media_high=self.media_low + 40,
            **args,
        )
        return result

    def call(self, method: str, *params: Any, timeout: float = 15.0) -> Any:
        return self.request("call", deadline=timeout, method=method, params=list(params))

    def event(self, kind: str, timeout: float = 10.0, **where: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "wait_event", deadline=timeout + 5, kind=kind, where=where, timeout_s=timeout
        )
        return result

    def stop(self, timeout: float = 20.0) -> int:
        """Graceful stop; returns the exit code (kills if it hangs)."""
        return self.engine.close(timeout)

    def kill(self) -> None:
        self.engine.kill()


class ExampleProcess:
    """An ``examples/engine`` script on free ports, its stdout lines collected.

    The examples print one space-separated line per event; tests wait for
    lines by their first word. ``stop`` sends SIGTERM (a graceful stop).
    """

    def __init__(
        self, script: str, *args: str, wait_listening: bool = True, media_ports: int = 40
    ) -> None:
        self.port = free_port_block(1)
        media = free_port_block(media_ports)
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "examples/engine" / script), "--port", str(self.port),
             "--media-ports", f"{media}-{media + media_ports}", *args],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[list[str]] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        if wait_listening:
            self.wait_for("listening")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.split())
                self._changed.notify_all()

    def count(self, word: str) -> int:
        return sum(1 for parts in self.lines if parts and parts[0] == word)

    def first(self, word: str) -> list[str]:
        return next(parts for parts in self.lines if parts and parts[0] == word)

    def wait_for(self, word: str, times: int = 1, timeout: float = 15.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.count(word) >= times, timeout):
                raise AssertionError(f"never printed {times}x {word!r}: {self.lines}")

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self.kill()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait(5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
