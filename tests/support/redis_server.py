"""A real, throwaway redis-server for tests (Debian `redis-server`): a free port on
127.0.0.1, no persistence, its files in a temporary folder, killed at the end.

    with running_redis(tmp_path) as url:   # "redis://127.0.0.1:PORT/0"
        ...
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.support.harness import wait_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    """Whether a redis-server on `port` answers PING."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


def _text(log: Path) -> str:
    return log.read_text() if log.exists() else "no log"


@contextlib.contextmanager
def running_redis(folder: Path, timeout: float = 10.0) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (packaging/debian-packages.txt)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        log = folder / "redis.log"
        wait_for(lambda: process.poll() is not None or answers(port), timeout,
                 lambda: f"redis-server did not start: {_text(log)}")
        if process.poll() is not None:
            raise RuntimeError(f"redis-server did not start: {_text(log)}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()
