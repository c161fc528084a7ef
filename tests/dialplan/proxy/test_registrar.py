"""Kamailio as registrar and edge, on real traffic: phones (SIPp with `[authentication]`
and raw digest clients) on 127.0.0.2-127.0.0.5, the directory in SQLite and in
PostgreSQL (the `directory_url` fixture: every test runs on both), and a raw SIP peer
standing in for an engine process (it only records what reaches it). What the
configuration is: test_registrar_config.py."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dialplan.directory import Extension, kamailio_db_url, open_directory, upgrade
from dialplan.proxy.process import answers_options
from dialplan.proxy.registrar import RegistrarSettings
from tests.support.harness import wait_for
from tests.support.raw_sip import SDP, Peer, Reply

from .registrar_kit import (
    Registrar,
    locations,
    phone_register,
    refuse,
    register,
    with_digest,
)

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


@pytest.fixture
def site(tmp_path: Path, directory_url: str) -> Iterator[Site]:
    made = Site(tmp_path, directory_url, min_expires=1, cleanup_interval=1,
                auth_failures=5)
    try:
        yield made
    finally:
        made.close()


def status(reply: Reply | None) -> int:
    """A final reply's status; 0 when none came."""
    return 0 if reply is None else reply.status


def invite_from(peer: Peer, site: Site, number: str, extra: str = "") -> Reply | None:
    """A phone's INVITE to `number`, not authenticated: the final reply."""
    peer.send(peer.request("INVITE", f"sip:{number}@127.0.0.1:{site.port}", extra=extra,
                           body=SDP.format(port=40002)))
    return peer.final(5)


def test_the_right_password_registers_and_a_wrong_one_is_challenged_again(
        site: Site, tmp_path: Path) -> None:
    good = register(site.port, "127.0.0.3", [("201", GOOD)], tmp_path)
    assert good.returncode == 0, good.stdout[-1500:]
    wrong = register(site.port, "127.0.0.4", [("202", "guess")], tmp_path, answer=401)
    assert wrong.returncode == 0, wrong.stdout[-1500:]
    site.wait_locations(["201"])


def test_a_phone_cannot_register_another_extension_with_its_own_password(
        site: Site) -> None:
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    try:
        uri = f"sip:127.0.0.1:{site.port}"
        reply = with_digest(phone, "REGISTER", uri, "201", GOOD,
                            to=f"sip:202@127.0.0.1:{site.port}", extra="Expires: 60\r\n")
        assert reply is not None and reply.status == 401
        assert status(site.engine_invites("202")) == 480
    finally:
        phone.close()


def test_a_flood_of_bad_passwords_bans_that_address_and_no_other(
        site: Site, tmp_path: Path) -> None:
    flood = register(site.port, "127.0.0.2", [("201", f"guess{n}") for n in range(4)],
                     tmp_path, answer=401)
    assert flood.returncode == 0, flood.stdout[-1500:]
    fifth = register(site.port, "127.0.0.2", [("201", "guess5")], tmp_path, answer=403)
    assert fifth.returncode == 0, fifth.stdout[-1500:]
    attacker = Peer(("127.0.0.1", site.port), host="127.0.0.2")
    try:  # now even the right password and a plain OPTIONS are refused from there
        assert status(phone_register(attacker, site.port, "201", GOOD)) == 403
    finally:
        attacker.close()
    good = register(site.port, "127.0.0.3", [("201", GOOD)], tmp_path)
    assert good.returncode == 0, good.stdout[-1500:]
    assert "127.0.0.2 refused for 300 s" in site.registrar.log()


def test_the_engine_rings_every_registered_phone_of_an_extension(site: Site) -> None:
    phones = [Peer(("127.0.0.1", site.port), host=h) for h in ("127.0.0.3", "127.0.0.4")]
    try:
        for phone in phones:
            assert status(phone_register(phone, site.port, "201", GOOD)) == 200
        site.engine_calls("201")
        for phone in phones:
            ringing = phone.receive(5)
            assert ringing is not None and ringing.text.startswith("INVITE sip:201@")
    finally:
        for phone in phones:
            phone.close()


def test_an_unregistered_extension_is_unavailable_at_once_and_a_stranger_not_found(
        site: Site) -> None:
    assert status(site.engine_invites("202")) == 480
    assert status(site.engine_invites("999")) == 404


def test_registrations_survive_a_restart_and_an_expired_one_is_gone(site: Site) -> None:
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    brief = Peer(("127.0.0.1", site.port), host="127.0.0.4")
    try:
        assert status(phone_register(phone, site.port, "201", GOOD)) == 200
        assert status(phone_register(brief, site.port, "202", GOOD, expires=2)) == 200
        site.registrar.restart()  # kill -TERM, then a new Kamailio
        call = site.engine_calls("201")
        ringing = phone.receive(5)
        assert ringing is not None and ringing.text.startswith("INVITE sip:201@")
        refuse(phone, ringing)  # the engine's transaction ends before its next INVITE
        assert status(site.engine_final(call)) == 486
        site.wait_locations(["201"])
        assert status(site.engine_invites("202")) == 480
    finally:
        phone.close()
        brief.close()


def test_a_forged_identity_never_reaches_the_engine(site: Site) -> None:
    forged = "X-Dialplan-Extension: 202\r\nX-Dialplan-Authenticated: yes\r\n" \
             "P-Asserted-Identity: <sip:202@127.0.0.1>\r\n"
    stranger = Peer(("127.0.0.1", site.port), host="127.0.0.5")
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    try:
        refused = invite_from(stranger, site, "100", extra=forged)
        assert refused is not None and refused.status == 407
        uri = f"sip:100@127.0.0.1:{site.port}"
        with_digest(phone, "INVITE", uri, "201", GOOD, extra=forged,
                    body=SDP.format(port=40004))
        invite = site.engine.receive(5)
        while invite is not None and not invite.text.startswith("INVITE "):
            invite = site.engine.receive(5)  # the proxy's OPTIONS probes
        assert invite is not None
        assert invite.headers("X-Dialplan-Extension") == ["201"]
        assert invite.headers("X-Dialplan-Authenticated") == ["yes"]
        assert invite.headers("P-Asserted-Identity") == []
        assert "Proxy-Authorization" not in invite.text
        assert "sip:attacker@127.0.0.5" not in invite.text  # the stranger's never came
    finally:
        stranger.close()
        phone.close()


def test_an_unauthenticated_request_for_a_foreign_domain_is_not_relayed(site: Site) -> None:
    stranger = Peer(("127.0.0.1", site.port), host="127.0.0.5")
    try:
        stranger.send(stranger.request("INVITE", "sip:0044123456@provider.example",
                                       body=SDP.format(port=40002)))
        reply = stranger.final(5)
        assert reply is not None and reply.status == 403
    finally:
        stranger.close()


@pytest.mark.parametrize("damage", [
    lambda text: text.replace("To: <", "To: <<<"),
    lambda text: re.sub(r"CSeq: \d+", "CSeq: banana", text),
    lambda text: text.replace("REGISTER sip:", "REGISTER sip:\x00"),
    lambda text: text + "Authorization: Digest username=\"201\", realm=\r\n\r\n",
])
def test_a_malformed_register_gets_an_error_or_nothing_and_kamailio_lives_on(
        site: Site, damage: Callable[[str], str]) -> None:
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    try:
        good = phone.request("REGISTER", f"sip:127.0.0.1:{site.port}").decode("latin-1")
        phone.send(damage(good).encode("latin-1"))
        reply = phone.receive(1.5)
        assert reply is None or reply.status >= 400
        assert site.registrar.alive()
        assert answers_options("127.0.0.1", site.port, timeout=5)
    finally:
        phone.close()


def test_an_extensions_contact_limit_is_kept(site: Site) -> None:
    """201 may have two phones (a third is refused); 202 one (the newest replaces it);
    203 is disabled (it cannot authenticate at all)."""
    peers = [Peer(("127.0.0.1", site.port), host=f"127.0.0.{n}") for n in (3, 4, 5)]
    try:
        assert [status(phone_register(p, site.port, "201", GOOD)) for p in peers] == \
            [200, 200, 503]
        assert [status(phone_register(p, site.port, "202", GOOD)) for p in peers[:2]] == \
            [200, 200]
        site.wait_locations(["201", "201", "202"])
        site.engine_calls("202")
        ringing = peers[1].receive(5)
        assert ringing is not None and ringing.text.startswith("INVITE sip:202@")
        assert status(phone_register(peers[2], site.port, "203", GOOD)) == 401
    finally:
        for peer in peers:
            peer.close()


def test_a_phone_behind_a_nat_is_reached_and_kept_open_where_it_really_is(
        tmp_path: Path, directory_url: str) -> None:
    """Its Contact names a private address; the registrar keeps the address the REGISTER
    came from (received), rings it there, and sends it OPTIONS keepalives."""
    site = Site(tmp_path, directory_url, nat_ping_interval=1)
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    try:
        reply = with_digest(phone, "REGISTER", f"sip:127.0.0.1:{site.port}", "201", GOOD,
                            to=f"sip:201@127.0.0.1:{site.port}", extra="Expires: 300\r\n",
                            contact="sip:201@192.168.1.10:5060")
        assert status(reply) == 200
        keepalive = phone.receive(5)
        assert keepalive is not None and keepalive.text.startswith("OPTIONS sip:")
        site.engine_calls("201")
        invite = phone.receive(5)
        while invite is not None and not invite.text.startswith("INVITE "):
            invite = phone.receive(5)  # more keepalives
        assert invite is not None and invite.text.startswith("INVITE sip:201@192.168.1.10")
    finally:
        phone.close()
        site.close()


def test_a_trunks_call_needs_no_password_and_its_identity_headers_are_dropped(
        tmp_path: Path, directory_url: str) -> None:
    site = Site(tmp_path, directory_url, trunk_sources=("127.0.0.6/32",))
    trunk = Peer(("127.0.0.1", site.port), host="127.0.0.6")
    try:
        trunk.send(trunk.request("INVITE", f"sip:4930123456@127.0.0.1:{site.port}",
                                 extra="X-Dialplan-Extension: 201\r\n",
                                 body=SDP.format(port=40006)))
        invite = site.engine.receive(5)
        while invite is not None and not invite.text.startswith("INVITE "):
            invite = site.engine.receive(5)
        assert invite is not None and invite.text.startswith("INVITE sip:4930123456@")
        assert invite.headers("X-Dialplan-Extension") == []
    finally:
        trunk.close()
        site.close()
