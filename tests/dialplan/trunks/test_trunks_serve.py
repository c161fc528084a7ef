"""`dialplan serve` with a trunk, end to end on 127.0.0.x: Kamailio starts in front of
one engine process, registers with the provider (a raw SIP peer on 127.0.0.9 that
challenges), `/trunks` says so; a caller's call runs `dial trunk`, the engine places it
through the edge, the provider challenges it (407) and gets it authenticated with the
trunk's From; a number outside the trunk's patterns never reaches the provider; the
provider's call to a DID runs the flow its route names."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.dialplan.trunks.provider import (
    challenge,
    next_request,
    proves_password,
    reply,
)
from tests.support.harness import serving, wait_for
from tests.support.raw_sip import SDP, Peer, await_request, place_call

pytestmark = pytest.mark.sip

PASSWORD, REALM = "pr0vider-Secret", "carrier.example"
PLAN = """route 100 -> allowed
route 101 -> premium
route 4930123456 -> did
flow did {
  start:
    answer
    say "You called our number."
    hangup
}
flow allowed {
  start:
    answer
    dial trunk carrier "030123456" timeout 10s { busy -> hangup; failed -> hangup }
    hangup
}
flow premium {
  start:
    answer
    dial trunk carrier "0900123456" { failed -> say "Not from here."; hangup }
    hangup
}
"""


def registered(page: object) -> bool:
    assert isinstance(page, dict)
    return bool(page["trunks"][0]["state"] == "registered")


def test_a_plan_dials_out_through_the_registered_trunk(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "main.dialplan").write_text(PLAN)
    provider = Peer(("127.0.0.1", 9), host="127.0.0.9")
    trunk = (f'\n[trunks.carrier]\nproxy = "127.0.0.9:{provider.port}"\n'
             f'username = "4930123"\nfrom_user = "4930123000"\ndomain = "{REALM}"\n'
             'password_env = "TRUNK_E2E_PASSWORD"\ntimeout = 5\n')
    caller = Peer(("127.0.0.1", 9), host="127.0.0.3")
    try:
        with serving(plans, tmp_path, settings=trunk,
                     env={"TRUNK_E2E_PASSWORD": PASSWORD}) as server:
            caller.proxy = ("127.0.0.1", server.sip_port)
            register = next_request(provider, "REGISTER", timeout=15)
            assert register is not None, server.log.read_text()[-3000:]
            contact = register.headers("Contact")[0]
            reply(provider, register, "200 OK", f"Contact: {contact};expires=600\r\n")
            wait_for(lambda: registered(server.admin("/trunks")), timeout=10)

            dialog = place_call(caller, "100", 40020)
            first = next_request(provider, "INVITE")
            assert first is not None, server.log.read_text()[-3000:]
            assert re.match(rf"<?sip:4930123000@{REALM}[>;]", first.headers("From")[0])
            nonce = uuid.uuid4().hex
            challenge(provider, first, "407 Proxy Authentication Required",
                      "Proxy-Authenticate", nonce)
            second = next_request(provider, "INVITE")
            assert second is not None
            assert proves_password(second, "Proxy-Authorization", "INVITE", nonce, "4930123")
            reply(provider, second, "486 Busy Here")
            assert await_request(dialog.peer, "BYE", timeout=10) is not None  # busy -> hangup

            place_call(caller, "101", 40024)
            assert await_request(caller, "BYE", timeout=10) is not None
            assert next_request(provider, "INVITE", timeout=1.0) is None  # never left
            assert "toll-fraud protection" in server.log.read_text()

            provider.proxy = ("127.0.0.1", server.sip_port)  # the provider calls a DID
            place_call(provider, "4930123456", 40028)  # answered: its route matched
            assert await_request(provider, "BYE", timeout=10) is not None
            provider.send(provider.request("INVITE", f"sip:4930999999@127.0.0.1:"
                                           f"{server.sip_port}", body=SDP.format(port=40032)))
            unrouted = provider.final()
            assert unrouted is not None and unrouted.status != 200  # no route for that DID
    finally:
        provider.close()
        caller.close()
