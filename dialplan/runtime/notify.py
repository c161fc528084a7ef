"""Telling systemd how the service is doing (sd_notify, through `sdnotify`), for a unit
of Type=notify (packaging/dialplan.service): READY=1 once SIP calls are taken, STOPPING=1
when a drain begins, a STATUS line for `systemctl status`. Without $NOTIFY_SOCKET (not
under systemd) every call does nothing. The variable is taken out of the environment
once read, so no child process (a worker, Kamailio) can claim to be the service.
"""

from __future__ import annotations

import os

import sdnotify


class Notifier:
    """The service manager's notification socket, if there is one."""

    def __init__(self, active: bool = True) -> None:
        wanted = active and bool(os.environ.get("NOTIFY_SOCKET"))
        self._socket = sdnotify.SystemdNotifier() if wanted else None
        if wanted:  # as sd_notify's unset_environment: children (Kamailio) must not speak
            del os.environ["NOTIFY_SOCKET"]

    def ready(self, status: str) -> None:
        self._send(f"READY=1\nSTATUS={status}")

    def stopping(self, status: str) -> None:
        self._send(f"STOPPING=1\nSTATUS={status}")

    def _send(self, message: str) -> None:
        if self._socket is not None:
            self._socket.notify(message)
