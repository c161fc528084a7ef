"""A provider for the trunk tests, on 127.0.0.9: raw SIP that challenges with digest and
checks every response against the password; the edge's setup (tests/dialplan/trunks/
conftest.py) puts a real Kamailio between it and an engine's side (a raw peer whose
address is in the dispatcher list)."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import kamailio_db_url, sqlite_url
from dialplan.proxy.registrar import RegistrarSettings
from tests.support.raw_sip import Peer, Reply

PASSWORD, REALM = "pr0vider-Secret", "carrier.example"
TIMEOUT = 3.0  # s: the trunk's; past it without a reply the edge answers 503


@dataclass
class Setup:
    edge: int  # the edge's port
    provider: Peer
    engine: Peer
    workdir: Path

    def log(self) -> str:
        return (self.workdir / "kamailio.log").read_text(errors="replace")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def reply(peer: Peer, request: Reply, status: str, extra: str = "") -> None:
    """Answer `request` (to its top Via, as a UAS does) with `status`."""
    head = request.text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
    kept = [h for h in head if h.split(":", 1)[0].strip().lower()
            in ("via", "from", "to", "call-id", "cseq")]
    kept = [h + ";tag=provider" if h.lower().startswith("to:") and ";tag=" not in h else h
            for h in kept]
    via = next(h for h in kept if h.lower().startswith("via:"))
    host, port = via.split()[2].split(";")[0].rsplit(":", 1)
    text = f"SIP/2.0 {status}\r\n" + "\r\n".join(kept) + f"\r\n{extra}Content-Length: 0\r\n\r\n"
    peer.sock.sendto(text.encode(), (host, int(port)))


def challenge(peer: Peer, request: Reply, status: str, header: str, nonce: str) -> None:
    """Answer `request` with a digest challenge (as a provider's registrar or proxy)."""
    reply(peer, request, status,
          f'{header}: Digest realm="{REALM}", nonce="{nonce}", algorithm=MD5\r\n')


def proves_password(request: Reply, header: str, method: str, nonce: str, user: str) -> bool:
    values = request.headers(header)
    if not values:
        return False
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', values[0]))
    ha1 = _md5(f"{user}:{REALM}:{PASSWORD}")
    ha2 = _md5(f"{method}:{fields['uri']}")
    if "qop" in fields:
        expected = _md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}")
    else:
        expected = _md5(f"{ha1}:{nonce}:{ha2}")
    return fields.get("username") == user and fields.get("response") == expected


def next_request(peer: Peer, method: str, timeout: float = 10.0) -> Reply | None:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        message = peer.receive(left)
        if message is None:
            return None
        if message.text.startswith(f"{method} "):
            return message
    return None


def invite(peer: Peer, uri: str) -> bytes:
    return peer.request("INVITE", uri, body="v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                        "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n")


def registrar(workdir: Path, mode: str) -> RegistrarSettings | None:
    """None: a plain dispatcher; else the registrar over a SQLite directory with one
    extension, the provider's address among the trunk sources."""
    if mode == "dispatcher":
        return None
    upgrade(url := sqlite_url(workdir / "dialplan.db"))
    directory = open_directory(url)
    directory.add(Extension("201"), "correct-horse-42")
    directory.close()
    return RegistrarSettings(kamailio_db_url(url), trunk_sources=("127.0.0.9/32",))
