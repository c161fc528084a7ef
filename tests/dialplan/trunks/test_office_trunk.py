"""The office example (examples/office, what `make run` serves) with its trunk pointed at
a test provider (a raw SIP peer on 127.0.0.9 that challenges and checks each digest): a
phone registered as 201 dials 9 + a national number, and the provider gets the number
without the 9, proven with the trunk's password; 9 + an international number never
reaches it. Served without the password (as on a fresh machine), the office still
starts, nothing goes to the provider, and 9 + a number is told it cannot be made."""

from __future__ import annotations

import json
import shutil
import tomllib
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from tests.dialplan.trunks.provider import (
    REALM,
    challenge,
    next_request,
    proves_password,
    reply,
)
from tests.support.digest_phone import acknowledge, in_dialog, phone_register, with_digest
from tests.support.harness import Server, serving
from tests.support.raw_sip import SDP, Peer, Reply

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_PASSWORD = "pr0vider-Secret"  # provider.py's
PHONE_PASSWORD = "office-phone-201"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of the office example (and the demo it includes) with extension 201."""
    shutil.copytree(ROOT / "examples" / "office", tmp_path / "office",
                    ignore=shutil.ignore_patterns("var"))
    shutil.copytree(ROOT / "examples" / "dialplans", tmp_path / "dialplans")
    upgrade(url := sqlite_url(tmp_path / "office" / "var" / "dialplan.db"))
    directory = open_directory(url, "office")
    directory.add(Extension("201"), PHONE_PASSWORD)
    directory.close()
    return tmp_path / "office"


@pytest.fixture
def provider() -> Iterator[Peer]:
    peer = Peer(("127.0.0.1", 9), host="127.0.0.9")
    try:
        yield peer
    finally:
        peer.close()


def settings(office: Path, provider: Peer) -> str:
    """The example's own [directory] and [trunks.provider], the trunk pointed at the
    test provider: its address and its realm (the harness writes [serve])."""
    example = tomllib.loads((office / "dialplan.toml").read_text())
    trunk = example["trunks"]["provider"] | {"proxy": f"127.0.0.9:{provider.port}",
                                              "realm": REALM, "timeout": 5}
    tables = {"directory": example["directory"], "trunks.provider": trunk}
    return "".join(f"\n[{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n"
                                               for key, value in table.items())
                   for name, table in tables.items())


def dial(phone: Peer, server: Server, number: str, pool: ThreadPoolExecutor
         ) -> Future[Reply | None]:
    """201 calls `number` (a new dialog, answered once with its digest): the final reply,
    to come."""
    phone.call_id = f"{uuid.uuid4().hex}@127.0.0.3"
    uri = f"sip:{number}@127.0.0.1:{server.sip_port}"
    return pool.submit(with_digest, phone, "INVITE", uri, "201", PHONE_PASSWORD,
                       body=SDP.format(port=40040))


def told_and_hung_up(phone: Peer, answer: Reply | None) -> None:
    """The flow answered 201 to tell it something: ACK, then 201 hangs up."""
    assert answer is not None and answer.status == 200, answer
    acknowledge(phone, answer, "201")
    in_dialog(phone, answer, "201", "BYE", 3)
    while (done := phone.final(5)) is not None and "BYE" not in done.headers("CSeq")[0]:
        pass  # the 200 to the INVITE again, before the ACK arrived
    assert done is not None and done.status == 200, done


def authorized(provider: Peer, header: str) -> Reply | None:
    """The next INVITE carrying `header` (retransmissions of the first skipped)."""
    while (request := next_request(provider, "INVITE")) is not None:
        if request.headers(header):
            return request
    return None


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
