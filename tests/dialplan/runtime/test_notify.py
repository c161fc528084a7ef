"""Readiness for systemd (Type=notify): `dialplan serve`, alone or as a pool, sends
READY=1 on $NOTIFY_SOCKET once it takes calls, and STOPPING=1 when it drains; the
socket is one the test binds, as systemd would."""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import serving
from tests.support.plans import menu_plan


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = tmp_path / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(30)
    try:
        yield receiver, str(path)
    finally:
        receiver.close()


def _messages(receiver: socket.socket, until: str) -> list[str]:
    """Datagrams received up to the first that contains `until`."""
    seen: list[str] = []
    while not seen or until not in seen[-1]:
        seen.append(receiver.recv(4096).decode())
    return seen


@pytest.mark.parametrize("extra", [[], ["--processes", "1"]], ids=["alone", "pool"])
def test_serve_notifies_ready_then_stopping(notify_socket: tuple[socket.socket, str],
                                           tmp_path: Path, extra: list[str]) -> None:
    receiver, path = notify_socket
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(menu_plan())
    with serving(folder, tmp_path, extra=extra, env={"NOTIFY_SOCKET": path}) as server:
        ready = _messages(receiver, "READY=1")
        assert ready == [ready[-1]]  # nothing before it
        assert "STATUS=ready: sip" in ready[-1]
        server.signal(signal.SIGTERM)
        assert "STOPPING=1" in _messages(receiver, "STOPPING=1")[-1]
        assert server.stop() == 0
