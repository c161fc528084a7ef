"""A call through the trunk in its dialog: the provider answers, the engine's ACK and
BYE reach it through the edge with the From and To it saw on the INVITE (uac's restore),
never the engine's own identity; the provider's BYE reaches the engine. Raw peers and a
real Kamailio (conftest.py), both edge variants."""

from __future__ import annotations

import re

import pytest

from tests.support.raw_sip import Peer, Reply

from .provider import REALM, Setup, invite, next_request, reply

pytestmark = pytest.mark.sip


def answer(provider: Peer, request: Reply) -> str:
    """The provider's 200 with its Contact and the Record-Route copied (as a UAS does);
    its To tag."""
    routes = "".join(f"Record-Route: {r}\r\n" for r in request.headers("Record-Route"))
    reply(provider, request, "200 OK",
          f"Contact: <sip:carrier-gw@{provider.host}:{provider.port}>\r\n{routes}")
    return "provider"


def in_dialog(engine: Peer, answered: Reply, method: str, cseq: int, to: str) -> None:
    """`method` from the engine's side along the route set of its 200, its To the
    INVITE's (`to`), as a UA keeps it."""
    target = re.search(r"<([^>]+)>", answered.headers("Contact")[0])
    tag = re.search(r";tag=([^;>\s]+)", answered.headers("To")[0])
    assert target and tag
    routes = tuple(r.strip() for h in answered.headers("Record-Route") for r in h.split(","))
    message = engine.request(method, target.group(1), cseq=cseq, to_tag=tag.group(1),
                             routes=routes)
    engine.send(message.replace(f"To: <{target.group(1)}>".encode(), f"To: <{to}>".encode()))


def test_the_engines_ack_and_bye_reach_the_provider_as_the_trunk(setup: Setup) -> None:
    engine, provider = setup.engine, setup.provider
    uri = f"sip:030123456@127.0.0.1:{setup.edge};dp-trunk=carrier"
    engine.send(invite(engine, uri))
    offered = next_request(provider, "INVITE")
    assert offered is not None, setup.log()[-3000:]
    answer(provider, offered)
    answered = engine.final()
    assert answered is not None and answered.status == 200, answered
    in_dialog(engine, answered, "ACK", 1, uri)
    assert next_request(provider, "ACK") is not None, setup.log()[-3000:]
    in_dialog(engine, answered, "BYE", 2, uri)
    bye = next_request(provider, "BYE")
    assert bye is not None, setup.log()[-3000:]
    assert bye.text.startswith(f"BYE sip:carrier-gw@127.0.0.9:{provider.port} ")
    assert re.match(rf"<sip:4930123000@{REALM}>;tag=", bye.headers("From")[0])
    assert bye.headers("To")[0].startswith(f"<sip:030123456@{REALM}>;tag=provider")
    assert bye.headers("Call-ID") == offered.headers("Call-ID")
    assert "attacker" not in bye.headers("From")[0] + bye.headers("To")[0]
    reply(provider, bye, "200 OK")
    done = engine.final()
    assert done is not None and done.status == 200


def test_the_providers_bye_reaches_the_engine_with_its_own_identity_back(setup: Setup
                                                                         ) -> None:
    engine, provider = setup.engine, setup.provider
    uri = f"sip:030123456@127.0.0.1:{setup.edge};dp-trunk=carrier"
    engine.send(invite(engine, uri))
    offered = next_request(provider, "INVITE")
    assert offered is not None, setup.log()[-3000:]
    answer(provider, offered)
    answered = engine.final()
    assert answered is not None and answered.status == 200, answered
    in_dialog(engine, answered, "ACK", 1, uri)
    assert next_request(provider, "ACK") is not None
    contact = re.search(r"<([^>]+)>", offered.headers("Contact")[0])
    assert contact is not None
    routes = [r.strip() for h in offered.headers("Record-Route") for r in h.split(",")]
    lines = [f"BYE {contact.group(1)} SIP/2.0",
             f"Via: SIP/2.0/UDP {provider.host}:{provider.port};rport;branch=z9hG4bKprov1",
             f"From: {offered.headers('To')[0]};tag=provider",
             f"To: {offered.headers('From')[0]}",
             f"Call-ID: {offered.headers('Call-ID')[0]}", "CSeq: 1 BYE",
             *(f"Route: {route}" for route in routes), "Max-Forwards: 70",
             "Content-Length: 0", "", ""]
    provider.sock.sendto("\r\n".join(lines).encode(), ("127.0.0.1", setup.edge))
    bye = next_request(engine, "BYE")
    assert bye is not None, setup.log()[-3000:]
    assert bye.headers("Call-ID")[0] == engine.call_id
    assert f"tag={engine.tag}" in bye.headers("To")[0]
    assert "4930123000" not in bye.headers("To")[0]  # the engine's own From, restored
