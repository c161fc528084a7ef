"""The edge's trunk client on real traffic: a real Kamailio made by dialplan.proxy (a
plain dispatcher, and the registrar over a directory with extensions), a
provider that challenges with digest (a raw SIP peer on 127.0.0.9 checking every
response against the password), an engine process's side (a raw peer whose address is
in the dispatcher list) and a stranger (127.0.0.3). Bounded: a few requests each, every
wait has a limit, Kamailio is stopped by the test."""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import kamailio_db_url, sqlite_url
from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import start_proxy, stop_proxy
from dialplan.proxy.registrar import RegistrarSettings
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from tests.engine.support import free_port_block
from tests.support.raw_sip import Peer, Reply

pytestmark = pytest.mark.sip

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


@pytest.fixture(params=["dispatcher", "registrar"])
def setup(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Setup]:
    port = free_port_block(1)
    provider = Peer(("127.0.0.1", port), host="127.0.0.9")
    engine = Peer(("127.0.0.1", port))
    trunk = Trunk("carrier", f"127.0.0.9:{provider.port}", "4930123",
                  from_user="4930123000", domain=REALM, expires=60, timeout=TIMEOUT,
                  sources=("127.0.0.9/32",))
    settings = ProxySettings("127.0.0.1", port, (f"127.0.0.1:{engine.port}",),
                             tmp_path / "dispatcher.list", ping_interval=30,
                             trunks=(EdgeTrunk(trunk, PASSWORD),),
                             registrar=registrar(tmp_path, request.param))
    process = start_proxy(settings, tmp_path)
    try:
        yield Setup(port, provider, engine, tmp_path)
    finally:
        stop_proxy(process, settings.stop_timeout)
        provider.close()
        engine.close()


def test_the_edge_registers_with_the_provider_answering_its_challenge(setup: Setup) -> None:
    first = next_request(setup.provider, "REGISTER")
    assert first is not None, setup.log()[-3000:]
    nonce = uuid.uuid4().hex
    challenge(setup.provider, first, "401 Unauthorized", "WWW-Authenticate", nonce)
    second = next_request(setup.provider, "REGISTER")
    assert second is not None, setup.log()[-3000:]
    assert proves_password(second, "Authorization", "REGISTER", nonce, "4930123")
    assert second.headers("To")[0].startswith(f"<sip:4930123@{REALM}")
    reply(setup.provider, second, "200 OK")


def test_an_engines_call_is_authenticated_and_reaches_the_provider_as_from_user(
        setup: Setup) -> None:
    setup.engine.send(invite(setup.engine, f"sip:030123456@127.0.0.1:{setup.edge}"
                                           ";dp-trunk=carrier"))
    first = next_request(setup.provider, "INVITE")
    assert first is not None, setup.log()[-3000:]
    assert first.text.startswith(f"INVITE sip:030123456@127.0.0.9:{setup.provider.port} ")
    assert "dp-trunk" not in first.text
    assert first.headers("From")[0].startswith(f"<sip:4930123000@{REALM}>")
    nonce = uuid.uuid4().hex
    challenge(setup.provider, first, "407 Proxy Authentication Required",
              "Proxy-Authenticate", nonce)
    second = next_request(setup.provider, "INVITE")
    assert second is not None, setup.log()[-3000:]
    assert proves_password(second, "Proxy-Authorization", "INVITE", nonce, "4930123")
    reply(setup.provider, second, "486 Busy Here")
    final = setup.engine.final()
    assert final is not None and final.status == 486


def test_a_stranger_naming_the_trunk_is_refused_and_nothing_reaches_the_provider(
        setup: Setup) -> None:
    stranger = Peer(("127.0.0.1", setup.edge), host="127.0.0.3")
    try:
        stranger.send(invite(stranger, f"sip:0900123456@127.0.0.1:{setup.edge}"
                                       ";dp-trunk=carrier"))
        final = stranger.final()
        assert final is not None and final.status == 403
    finally:
        stranger.close()
    assert next_request(setup.provider, "INVITE", timeout=1.0) is None


def test_a_provider_that_does_not_answer_fails_the_call_with_503_within_its_timeout(
        setup: Setup) -> None:
    sent = time.monotonic()
    setup.engine.send(invite(setup.engine, f"sip:030123456@127.0.0.1:{setup.edge}"
                                           ";dp-trunk=carrier"))
    assert next_request(setup.provider, "INVITE") is not None  # and never answered
    final = setup.engine.final(timeout=TIMEOUT + 5)
    assert final is not None and final.status == 503, setup.log()[-2000:]
    assert time.monotonic() - sent < TIMEOUT + 2


def registered(setup: Setup, expires: int) -> Reply:
    """The edge's REGISTER, challenged, answered, and accepted for `expires` seconds."""
    first = next_request(setup.provider, "REGISTER")
    assert first is not None, setup.log()[-3000:]
    nonce = uuid.uuid4().hex
    challenge(setup.provider, first, "401 Unauthorized", "WWW-Authenticate", nonce)
    second = next_request(setup.provider, "REGISTER")
    assert second is not None and proves_password(second, "Authorization", "REGISTER",
                                                  nonce, "4930123")
    contact = second.headers("Contact")[0]
    reply(setup.provider, second, "200 OK", f"Contact: {contact};expires={expires}\r\n")
    return second


def test_the_registration_is_refreshed_before_it_expires(setup: Setup) -> None:
    first = registered(setup, expires=2)
    refresh = next_request(setup.provider, "REGISTER", timeout=20.0)
    assert refresh is not None, setup.log()[-3000:]
    assert refresh.headers("Call-ID") == first.headers("Call-ID")  # the same registration


@pytest.mark.parametrize("user", ["4930123456", "carrier"], ids=["did", "registered-contact"])
def test_a_providers_call_reaches_the_engines_by_the_dialled_did(setup: Setup, user: str
                                                                 ) -> None:
    provider = setup.provider
    message = provider.request("INVITE", f"sip:{user}@127.0.0.1:{setup.edge}")
    message = message.replace(f"To: <sip:{user}@".encode(), b"To: <sip:4930123456@")
    provider.send(message)
    arrived = next_request(setup.engine, "INVITE")
    assert arrived is not None, setup.log()[-3000:]
    assert arrived.text.startswith(f"INVITE sip:4930123456@127.0.0.1:{setup.edge} ")
