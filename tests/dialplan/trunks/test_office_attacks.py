"""Toll fraud against the office example's trunk (office_kit.py), on loopback: only the
office's own phones, through a flow that checks the number, may call out. A stranger
naming the trunk or forging the identity headers, a caller on the engines' host at
another port, the provider's own address (a trunk source: no password asked), and 201
itself dialling numbers the trunk's `allow` does not permit, written with tricks:
nothing reaches the provider. Bounded: one request each, every wait has a limit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.dialplan.trunks.provider import next_request
from tests.support.digest_phone import in_dialog, phone_register, with_digest
from tests.support.harness import serving
from tests.support.raw_sip import SDP, Peer, Reply

from .office_kit import PHONE_PASSWORD, PROVIDER_PASSWORD, dial, settings, told_and_hung_up

pytestmark = pytest.mark.sip

FORGED = "X-Dialplan-Extension: 201\r\nX-Dialplan-Authenticated: yes\r\n"
TRICKS = ["9%2B4930123456", "9+4930123456", "9004930123456", "9030%20123456",
          "90" + "3" * 40, "9%D9%A0%D9%A3%D9%A0%D9%A1%D9%A2%D9%A3%D9%A4",  # Arabic-Indic
          "9%EF%BC%90%EF%BC%93%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%93",  # full-width digits
          "9030123456;npdi", "9030123456%3Bdp-trunk%3Dprovider", "90301234%0D%0A56"]


def stranger_status(host: str, port: int, uri: str, extra: str = "") -> int:
    """The final status a caller on `host` (no password) gets for an INVITE to `uri`."""
    peer = Peer(("127.0.0.1", port), host=host)
    try:
        peer.send(peer.request("INVITE", uri, extra=extra, body=SDP.format(port=40050)))
        final = peer.final(10)
        assert final is not None
        return final.status
    finally:
        peer.close()


def hung_up(peer: Peer, answer: Reply | None, user: str) -> int:
    """A 200 acknowledged and hung up (the flow answered to say something); the status."""
    assert answer is not None
    if answer.status == 200:
        in_dialog(peer, answer, user, "ACK", 1)
        in_dialog(peer, answer, user, "BYE", 2)
    return answer.status


def test_nobody_but_an_office_phone_dialling_a_national_number_reaches_the_provider(
        office: Path, provider: Peer) -> None:
    env = {"OFFICE_TRUNK_PASSWORD": PROVIDER_PASSWORD}
    with serving(office, office, settings=settings(office, provider), env=env) as server, \
            ThreadPoolExecutor(1) as pool:
        port = server.sip_port
        edge = f"127.0.0.1:{port}"
        assert stranger_status("127.0.0.4", port, f"sip:9030123456@{edge}", FORGED) == 407
        assert stranger_status("127.0.0.4", port, f"sip:030123456@{edge};dp-trunk=provider"
                               ) == 403
        assert stranger_status("127.0.0.1", port, f"sip:030123456@{edge};dp-trunk=provider"
                               ) == 403  # the engines' own host, another port
        assert stranger_status("127.0.0.9", port, f"sip:030123456@{edge};dp-trunk=provider"
                               ) == 403  # the provider's own address: no loop back out
        source = Peer(("127.0.0.1", port), host="127.0.0.9")  # a trunk source: no password
        try:
            told = with_digest(source, "INVITE", f"sip:9030123456@{edge}", "4930999", "",
                               extra=FORGED, body=SDP.format(port=40052))
            assert hung_up(source, told, "4930999") == 200  # "This call cannot be made."
        finally:
            source.close()
        phone = Peer(("127.0.0.1", port), host="127.0.0.3")
        try:
            assert phone_register(phone, port, "201", PHONE_PASSWORD) is not None
            statuses = {}
            for number in TRICKS:
                answer = dial(phone, server, number, pool).result()
                statuses[number] = answer.status if answer else None
                if answer is not None and answer.status == 200:
                    told_and_hung_up(phone, answer)
            phone.call_id = "trunk-named@127.0.0.3"
            named = with_digest(phone, "INVITE", f"sip:030123456@{edge};dp-trunk=provider",
                                "201", PHONE_PASSWORD, body=SDP.format(port=40054))
            assert named is not None and named.status == 403
        finally:
            phone.close()
        assert next_request(provider, "INVITE", timeout=1.0) is None  # not one INVITE
    assert all(status in (200, 404) for status in statuses.values()), statuses
    log = server.log_text()  # each trick that reached the flow: refused before any SIP
    refused = log.count(": refused target '") + log.count("refused (toll-fraud protection)")
    assert refused == list(statuses.values()).count(200), log[-3000:]
