"""Calls through Kamailio as edge, on real traffic: phones and strangers on
127.0.0.3-127.0.0.6, a trunk's network, phones behind a NAT, and a raw SIP peer as the
engine process; the directory in SQLite and in PostgreSQL (every test runs on both)."""

from __future__ import annotations

from pathlib import Path

from tests.support.digest_phone import phone_register, with_digest
from tests.support.raw_sip import SDP, Peer

from .registrar_kit import register
from .registrar_site import GOOD, Site, invite_from, status


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


def test_a_ban_on_the_engines_host_never_refuses_the_engines(
        site: Site, tmp_path: Path) -> None:
    """Failures from 127.0.0.1 (another port of the engine's own address) ban it; the
    engine process itself still rings extensions."""
    flood = register(site.port, "127.0.0.1", [("201", f"guess{n}") for n in range(5)],
                     tmp_path, answer=401)
    assert "127.0.0.1 refused for 300 s" in site.registrar.log(), flood.stdout[-1500:]
    assert status(site.engine_invites("202")) == 480
