"""The registrar tests' site: Kamailio as registrar over a directory (SQLite or
PostgreSQL, by the `directory_url` fixture) with three extensions, and a raw SIP peer
standing in for an engine process (in the dispatcher list, it only records what reaches
it)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from dialplan.directory import Extension, kamailio_db_url, open_directory, upgrade
from dialplan.proxy.registrar import RegistrarSettings
from tests.support.harness import wait_for
from tests.support.raw_sip import SDP, Peer, Reply

from .registrar_kit import Registrar, locations

GOOD = "correct-horse-42"


class Site:
    """A registrar over a directory with extensions 201 (two phones), 202 (one) and 203
    (disabled), all with the password GOOD, and one engine peer."""

    def __init__(self, workdir: Path, url: str, **settings: Any) -> None:
        upgrade(url)
        directory = open_directory(url)
        directory.add(Extension("201", max_contacts=2), GOOD)
        directory.add(Extension("202"), GOOD)
        directory.add(Extension("203", enabled=False), GOOD)
        directory.close()
        self.database = url
        self.engine = Peer(("127.0.0.1", 0))
        self.registrar = Registrar(workdir, RegistrarSettings(
            kamailio_db_url(url), **settings),
            engines=(f"127.0.0.1:{self.engine.port}",))
        self.engine.proxy = ("127.0.0.1", self.registrar.port)
        self.port = self.registrar.port

    def engine_calls(self, number: str) -> str:
        """The engine peer sends an INVITE for `number` through the proxy, in a dialog
        of its own (a final reply it never acknowledges comes again and again): its
        Call-ID."""
        self.engine.call_id = f"{uuid.uuid4().hex}@127.0.0.1"
        uri = f"sip:{number}@127.0.0.1:{self.port}"
        self.engine.send(self.engine.request("INVITE", uri, body=SDP.format(port=40000)))
        return self.engine.call_id

    def engine_final(self, call_id: str) -> Reply | None:
        """The final reply the engine peer gets in the call `call_id`."""
        while (reply := self.engine.final(5)) is not None:
            if reply.headers("Call-ID") == [call_id]:
                return reply
        return None

    def engine_invites(self, number: str) -> Reply | None:
        """The final reply to the engine peer's INVITE for `number`."""
        return self.engine_final(self.engine_calls(number))

    def wait_locations(self, expected: list[str]) -> None:
        """Until the `location` table holds `expected` (SQLite: written back each
        cleanup_interval, 1 s here)."""
        wait_for(lambda: locations(self.database) == expected, timeout=10,
                 explain=lambda: str(locations(self.database)))

    def close(self) -> None:
        self.engine.close()
        self.registrar.stop()


def status(reply: Reply | None) -> int:
    """A final reply's status; 0 when none came."""
    return 0 if reply is None else reply.status


def invite_from(peer: Peer, site: Site, number: str, extra: str = "") -> Reply | None:
    """A phone's INVITE to `number`, not authenticated: the final reply."""
    peer.send(peer.request("INVITE", f"sip:{number}@127.0.0.1:{site.port}", extra=extra,
                           body=SDP.format(port=40002)))
    return peer.final(5)
