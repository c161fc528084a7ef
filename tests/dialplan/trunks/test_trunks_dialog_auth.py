"""A provider that challenges requests inside an answered trunk call: the engine's BYE
or re-INVITE gets its 401/407 answered once by the edge with the trunk's credentials; a
second challenge goes back to the engine; a Record-Route whose trunk was rewritten
(to have another trunk's credentials used) breaks the dialog's key and is refused.
Raw peers and a real Kamailio (conftest.py), both edge variants."""

from __future__ import annotations

import uuid

import pytest

from tests.support.raw_sip import Reply

from .provider import Setup, challenge, invite, next_request, proves_password, reply
from .test_trunks_dialog import answer, in_dialog

pytestmark = pytest.mark.sip


def answered_call(setup: Setup, routes: str = "") -> tuple[Reply, str]:
    """An engine's call through the trunk, answered and acknowledged: the engine's 200
    and the INVITE's Request-URI (its To in the dialog)."""
    engine, provider = setup.engine, setup.provider
    uri = f"sip:030123456@127.0.0.1:{setup.edge};dp-trunk=carrier"
    engine.send(invite(engine, uri))
    offered = next_request(provider, "INVITE")
    assert offered is not None, setup.log()[-3000:]
    if routes:
        offered.text = offered.text.replace(";dt=carrier", routes)
    answer(provider, offered)
    answered = engine.final()
    assert answered is not None and answered.status == 200, answered
    in_dialog(engine, answered, "ACK", 1, uri)
    return answered, uri


def test_a_challenged_bye_is_answered_with_the_trunks_credentials(setup: Setup) -> None:
    answered, uri = answered_call(setup)
    assert next_request(setup.provider, "ACK") is not None
    in_dialog(setup.engine, answered, "BYE", 2, uri)
    first = next_request(setup.provider, "BYE")
    assert first is not None, setup.log()[-3000:]
    nonce = uuid.uuid4().hex
    challenge(setup.provider, first, "407 Proxy Authentication Required",
              "Proxy-Authenticate", nonce)
    second = next_request(setup.provider, "BYE")
    assert second is not None, setup.log()[-3000:]
    assert proves_password(second, "Proxy-Authorization", "BYE", nonce, "4930123")
    reply(setup.provider, second, "200 OK")
    done = setup.engine.final()
    assert done is not None and done.status == 200


def test_a_reinvite_is_answered_once_and_a_second_challenge_reaches_the_engine(
        setup: Setup) -> None:
    answered, uri = answered_call(setup)
    in_dialog(setup.engine, answered, "INVITE", 2, uri)
    first = next_request(setup.provider, "INVITE")
    assert first is not None, setup.log()[-3000:]
    nonce = uuid.uuid4().hex
    challenge(setup.provider, first, "401 Unauthorized", "WWW-Authenticate", nonce)
    second = next_request(setup.provider, "INVITE")
    assert second is not None, setup.log()[-3000:]
    assert proves_password(second, "Authorization", "INVITE", nonce, "4930123")
    challenge(setup.provider, second, "401 Unauthorized", "WWW-Authenticate", "again")
    refused = setup.engine.final()
    assert refused is not None and refused.status == 401
    assert next_request(setup.provider, "INVITE", timeout=1.0) is None


def test_a_record_route_naming_another_trunk_breaks_the_dialog(setup: Setup) -> None:
    answered, uri = answered_call(setup, routes=";dt=other")
    in_dialog(setup.engine, answered, "BYE", 2, uri)
    refused = setup.engine.final()
    assert refused is not None and refused.status == 403
    assert next_request(setup.provider, "BYE", timeout=1.0) is None
