"""The office example (examples/office, what `make run` serves) with its trunk pointed at
a test provider (a raw SIP peer on 127.0.0.9 that challenges and checks each digest): a
phone registered as 201 dials 9 + a national number, and the provider gets the number
without the 9, proven with the trunk's password; 9 + an international number never
reaches it. Served without the password (as on a fresh machine), the office still
starts, nothing goes to the provider, and 9 + a number is told it cannot be made."""

from __future__ import annotations

import signal
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.dialplan.trunks.provider import challenge, next_request, proves_password, reply
from tests.support.digest_phone import phone_register
from tests.support.harness import serving
from tests.support.raw_sip import Peer

from .office_kit import (
    PHONE_PASSWORD,
    PROVIDER_PASSWORD,
    authorized,
    dial,
    settings,
    told_and_hung_up,
)


def test_9_and_a_national_number_leaves_through_the_trunk_without_the_9(
        office: Path, provider: Peer) -> None:
    env = {"OFFICE_TRUNK_PASSWORD": PROVIDER_PASSWORD}
    with serving(office, office, settings=settings(office, provider), env=env) as server, \
            ThreadPoolExecutor(1) as pool:
        register = next_request(provider, "REGISTER", timeout=15)
        assert register is not None, server.log_text()[-3000:]
        nonce = uuid.uuid4().hex
        challenge(provider, register, "401 Unauthorized", "WWW-Authenticate", nonce)
        again = next_request(provider, "REGISTER")
        assert again is not None
        assert proves_password(again, "Authorization", "REGISTER", nonce, "4930123456")
        reply(provider, again, "200 OK", f"Contact: {again.headers('Contact')[0]}\r\n")
        phone = Peer(("127.0.0.1", server.sip_port), host="127.0.0.3")
        try:
            registered = phone_register(phone, server.sip_port, "201", PHONE_PASSWORD)
            assert registered is not None and registered.status == 200

            answer = dial(phone, server, "9030123456", pool)
            first = next_request(provider, "INVITE")
            assert first is not None, server.log_text()[-3000:]
            assert first.text.startswith("INVITE sip:030123456@127.0.0.9:")
            challenge(provider, first, "407 Proxy Authentication Required",
                      "Proxy-Authenticate", nonce := uuid.uuid4().hex)
            second = authorized(provider, "Proxy-Authorization")
            assert second is not None
            assert proves_password(second, "Proxy-Authorization", "INVITE", nonce,
                                   "4930123456")
            reply(provider, second, "486 Busy Here")
            told_and_hung_up(phone, answer.result())  # "The number you dialled is busy."

            told_and_hung_up(phone, dial(phone, server, "900441234567", pool).result())
            assert next_request(provider, "INVITE", timeout=0.5) is None  # never left
        finally:
            phone.close()
    log = server.log_text()
    assert "dial trunk provider refused (toll-fraud protection): 00441234567" in log


def test_without_its_password_the_office_starts_and_9_is_told_it_cannot_call(
        office: Path, provider: Peer) -> None:
    with serving(office, office, settings=settings(office, provider)) as server, \
            ThreadPoolExecutor(1) as pool:
        phone = Peer(("127.0.0.1", server.sip_port), host="127.0.0.3")
        try:
            assert phone_register(phone, server.sip_port, "201", PHONE_PASSWORD) is not None
            told_and_hung_up(phone, dial(phone, server, "9030123456", pool).result())
        finally:
            phone.close()
        assert provider.receive(0.2) is None  # no REGISTER, no INVITE
    log = server.log_text()
    assert "OFFICE_TRUNK_PASSWORD, which is not set: trunk provider is out of service" in log


def test_the_trunk_comes_back_when_its_password_file_appears_and_serve_reloads(
        office: Path, provider: Peer) -> None:
    secret = office / "trunk.secret"
    with serving(office, office, settings=settings(office, provider, secret.name)) as server, \
            ThreadPoolExecutor(1) as pool:
        phone = Peer(("127.0.0.1", server.sip_port), host="127.0.0.3")
        try:
            assert phone_register(phone, server.sip_port, "201", PHONE_PASSWORD) is not None
            told_and_hung_up(phone, dial(phone, server, "9030123456", pool).result())
            assert next_request(provider, "INVITE", timeout=0.2) is None
            secret.touch(mode=0o600)
            secret.write_text(PROVIDER_PASSWORD)
            server.signal(signal.SIGHUP)  # or within 5 s on its own
            server.wait_for_log("trunk provider is back in service")
            answer = dial(phone, server, "9030123456", pool)
            first = authorized(provider, "Via")  # the INVITE, no longer refused
            assert first is not None, server.log_text()[-3000:]
            challenge(provider, first, "407 Proxy Authentication Required",
                      "Proxy-Authenticate", nonce := uuid.uuid4().hex)
            second = authorized(provider, "Proxy-Authorization")
            assert second is not None
            assert proves_password(second, "Proxy-Authorization", "INVITE", nonce,
                                   "4930123456")
            reply(provider, second, "486 Busy Here")
            told_and_hung_up(phone, answer.result())
        finally:
            phone.close()
