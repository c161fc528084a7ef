"""Kamailio as registrar, on real traffic: phones (SIPp with `[authentication]`, raw
digest clients, baresip) on 127.0.0.2-127.0.0.5 register against the directory in
SQLite and in PostgreSQL (every test runs on both). Calls through the edge:
test_edge.py; the configuration itself: test_registrar_config.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dialplan.proxy.process import answers_options
from tests.support.baresip import baresip_phone
from tests.support.digest_phone import phone_register, refuse, with_digest
from tests.support.raw_sip import Peer

from .registrar_kit import register
from .registrar_site import GOOD, Site, status


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


def test_registrations_survive_a_restart_and_an_expired_one_is_gone(site: Site) -> None:
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    brief = Peer(("127.0.0.1", site.port), host="127.0.0.4")
    try:
        assert status(phone_register(phone, site.port, "201", GOOD)) == 200
        assert status(phone_register(brief, site.port, "202", GOOD, expires=2)) == 200
        site.registrar.restart()  # kill -TERM, then a new Kamailio
        call = site.engine_calls("201")
        ringing = phone.receive(5)
        assert ringing is not None and ringing.text.startswith("INVITE sip:201@"), \
            site.registrar.log()[-2000:]
        refuse(phone, ringing)  # the engine's transaction ends before its next INVITE
        assert status(site.engine_final(call)) == 486
        site.wait_locations(["201"])
        assert status(site.engine_invites("202")) == 480
    finally:
        phone.close()
        brief.close()


@pytest.mark.parametrize(("damage", "answer"), [
    (lambda text: text.replace("To: <", "To: <<<"), None),  # no To to answer: dropped
    (lambda text: re.sub(r"CSeq: \d+", "CSeq: banana", text), 400),
    (lambda text: text.replace("REGISTER sip:", "REGISTER sip:\x00"), 403),  # not ours
    (lambda text: text.replace("Content-Length: 0\r\n\r\n", "Authorization: Digest "
                               'username="201", realm=\r\nContent-Length: 0\r\n\r\n'), 401),
    (lambda text: text + "garbage after a body of length 0", 400),
], ids=["to", "cseq", "nul-in-uri", "half-authorization", "body-past-length"])
def test_a_malformed_register_gets_an_error_or_nothing_and_kamailio_lives_on(
        site: Site, damage: Callable[[str], str], answer: int | None) -> None:
    phone = Peer(("127.0.0.1", site.port), host="127.0.0.3")
    try:
        good = phone.request("REGISTER", f"sip:127.0.0.1:{site.port}").decode("latin-1")
        phone.send(damage(good).encode("latin-1"))
        reply = phone.receive(1.5)
        assert (None if reply is None else reply.status) == answer
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


def test_a_real_softphone_registers_and_rings_when_the_engine_calls(
        site: Site, tmp_path: Path) -> None:
    with baresip_phone(tmp_path, "202", GOOD, f"127.0.0.1:{site.port}", host="127.0.0.4",
                       auto_answer=False) as phone:
        phone.wait_registered()
        site.wait_locations(["202"])
        call = site.engine_calls("202")
        ringing = site.engine.receive(5)
        while ringing is not None and ringing.status != 180:
            ringing = site.engine.receive(5)  # 100 Trying, OPTIONS probes
        assert ringing is not None and ringing.headers("Call-ID") == [call]
