"""The edge's trunk client on real traffic: a real Kamailio made by dialplan.proxy (a
plain dispatcher, and the registrar over a directory with extensions), a
provider that challenges with digest (a raw SIP peer on 127.0.0.9 checking every
response against the password), an engine process's side (a raw peer whose address is
in the dispatcher list) and a stranger (127.0.0.3). Bounded: a few requests each, every
wait has a limit, Kamailio is stopped by the test."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.support.raw_sip import Peer, Reply

from .provider import (
    REALM,
    TIMEOUT,
    Setup,
    challenge,
    invite,
    next_request,
    proves_password,
    reply,
)

pytestmark = pytest.mark.sip


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


@pytest.mark.parametrize("host", ["127.0.0.3", "127.0.0.1", "127.0.0.9"],
                         ids=["stranger", "engines-host-other-port", "trunk-source"])
def test_a_stranger_naming_the_trunk_is_refused_and_nothing_reaches_the_provider(
        setup: Setup, host: str) -> None:
    stranger = Peer(("127.0.0.1", setup.edge), host=host)
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
