"""`dialplan serve` with extensions in its directory: Kamailio starts on the SIP port as
their registrar even without --processes (one engine process behind it), a phone
registers and its authenticated call reaches a real engine process and is answered;
a stranger's call is challenged and never reaches it. A directory dialplan.toml
declares has Kamailio as registrar from the start: its first extension registers at
once."""

from __future__ import annotations

import json
from pathlib import Path

from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from tests.support.digest_phone import acknowledge, phone_register, with_digest
from tests.support.harness import serving
from tests.support.raw_sip import SDP, Peer, await_request

GOOD = "correct-horse-42"
PLAN = 'route 100 -> main\nflow main { start: answer; say "Hello."; hangup }\n'


def test_serve_is_the_registrar_of_its_extensions_and_lets_them_call(tmp_path: Path) -> None:
    upgrade(url := sqlite_url(tmp_path / "var" / "dialplan.db"))
    directory = open_directory(url)
    directory.add(Extension("201"), GOOD)
    directory.close()
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "main.dialplan").write_text(PLAN)
    with serving(plans, tmp_path) as server:
        phone = Peer(("127.0.0.1", server.sip_port), host="127.0.0.3")
        stranger = Peer(("127.0.0.1", server.sip_port), host="127.0.0.5")
        try:
            reply = phone_register(phone, server.sip_port, "201", GOOD)
            assert reply is not None and reply.status == 200
            uri = f"sip:100@127.0.0.1:{server.sip_port}"
            stranger.send(stranger.request("INVITE", uri, body=SDP.format(port=40010)))
            refused = stranger.final(5)
            assert refused is not None and refused.status == 407
            answer = with_digest(phone, "INVITE", uri, "201", GOOD,
                                 body=SDP.format(port=40012))
            assert answer is not None and answer.status == 200, answer
            acknowledge(phone, answer, "201")
            assert await_request(phone, "BYE", timeout=10) is not None  # the plan hung up
        finally:
            phone.close()
            stranger.close()
    assert "Kamailio is their registrar" in server.log.read_text()


def test_a_declared_directory_takes_its_first_extension_without_a_restart(
        tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "main.dialplan").write_text(PLAN)
    with serving(plans, tmp_path, settings="\n[directory]\n") as server:
        status, body = server.request("POST", "/users", server.tokens["operator"],
                                      json.dumps({"number": "201", "password": GOOD}).encode())
        assert status == 201 and "restart_needed" not in json.loads(body), body
        phone = Peer(("127.0.0.1", server.sip_port), host="127.0.0.3")
        try:
            reply = phone_register(phone, server.sip_port, "201", GOOD)
            assert reply is not None and reply.status == 200, reply
        finally:
            phone.close()
    assert "declares a [directory] of extensions: Kamailio is their registrar" in \
        server.log.read_text()
