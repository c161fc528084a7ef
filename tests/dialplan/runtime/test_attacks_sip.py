"""Attacks on one `dialplan serve` process with raw SIP datagrams (issue 12, items 3, 12).

Out-of-dialog requests no call wants get one small stateless refusal (never silence,
never a subscription with NOTIFYs to a spoofable source), and a table of malformed
datagrams leaves the process alive and answering a normal call.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import Server, serving, sipp, wait_for
from tests.support.raw_sip import SDP, Endpoint, request
from tests.support.scenarios import silent_until_server_hangs_up

PLAN = "route 100 -> main\nflow main { start: answer; wait 3s; hangup }\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("attacks-sip")
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(PLAN)
    with serving(folder, workdir, settings="max_calls = 1\n") as running:
        yield running


@pytest.fixture
def attacker() -> Iterator[Endpoint]:
    endpoint = Endpoint()
    yield endpoint
    endpoint.close()


@pytest.mark.parametrize(("method", "status"), [
    ("FOO", 501), ("PUBLISH", 405), ("REGISTER", 405), ("INFO", 405), ("NOTIFY", 405),
    ("REFER", 405), ("MESSAGE", 405),
])
def test_an_out_of_dialog_request_gets_one_refusal(server: Server, attacker: Endpoint,
                                                  method: str, status: int) -> None:
    reply = attacker.exchange(request(method, server.sip_port, attacker.address), server.sip_port)
    assert reply.statuses == [status], reply.lines
    if status == 405:
        assert any(h.startswith("Allow: INVITE") for h in reply.headers), reply.headers


def test_a_request_for_a_call_that_does_not_exist_gets_481(server: Server,
                                                           attacker: Endpoint) -> None:
    bye = request("BYE", server.sip_port, attacker.address, to_tag="gone")
    assert attacker.exchange(bye, server.sip_port).statuses == [481]


def test_an_out_of_dialog_subscribe_gets_one_small_reply_and_no_notify(
        server: Server, attacker: Endpoint) -> None:
    subscribe = request("SUBSCRIBE", server.sip_port, attacker.address,
                        extra="Event: presence\r\nExpires: 3600\r\nAccept: application/pidf+xml")
    reply = attacker.exchange(subscribe, server.sip_port, quiet=1.5)
    assert reply.statuses == [405], reply.lines
    assert reply.requests == [], f"the service sent requests back: {reply.lines}"
    assert reply.size <= 2 * len(subscribe), f"{reply.size} bytes back for {len(subscribe)}"


def test_past_max_calls_the_engine_answers_503_with_retry_after(
        server: Server, attacker: Endpoint, tmp_path: Path) -> None:
    caller = sipp(silent_until_server_hangs_up(), server, "100", tmp_path, timeout=20,
                  background=True)
    assert isinstance(caller, subprocess.Popen)
    wait_for(lambda: server.admin("/calls") != [], 5)
    invite = request("INVITE", server.sip_port, attacker.address,
                     extra="Content-Type: application/sdp", body=SDP.format(port=9))
    reply = attacker.exchange(invite, server.sip_port)
    assert 503 in reply.statuses, reply.lines
    assert any(h.startswith("Retry-After:") for h in reply.headers), reply.headers
    assert caller.wait(timeout=20) == 0


def _malformed(port: int, local: tuple[str, int]) -> dict[str, bytes]:
    """name -> datagram. INVITEs go to an unrouted number: no call is set up."""
    def invite(extra: str = "", body: str = "") -> bytes:
        kind = "Content-Type: application/sdp\r\n" if body else ""
        return request("INVITE", port, local, user="999", extra=kind + extra, body=body)

    good = invite(body=SDP.format(port=9))
    head, _, body = good.partition(b"\r\n\r\n")

    def without(header: bytes) -> bytes:
        lines = [line for line in head.split(b"\r\n") if not line.startswith(header)]
        return b"\r\n".join(lines) + b"\r\n\r\n" + body

    return {
        "bad SDP": invite(body="v=9\r\nm=audio banana RTP/AVP x\r\nc=IN IP4 nowhere\r\n"),
        "no SDP": invite(),
        "SDP of NUL bytes": invite(body="\0" * 200),
        "60 KB header": invite(extra="X-Junk: " + "A" * 60000),
        "no Call-ID": without(b"Call-ID"),
        "no CSeq": without(b"CSeq"),
        "no From": without(b"From"),
        "no To": without(b"To"),
        "no Via": without(b"Via"),
        "Content-Length too big": good.replace(b"Content-Length: ", b"Content-Length: 9"),
        "Content-Length negative": good.replace(b"Content-Length: ", b"Content-Length: -"),
        "Content-Length not a number": good.replace(b"Content-Length: ", b"Content-Length: x"),
        "non-UTF-8 headers": good.replace(b"sip:attacker", b"sip:\xff\xfe\xc3\x28"),
        "NUL bytes in headers": good.replace(b"Max-Forwards: 70", b"Max-Forwards: 7\x000"),
        "64 KB datagram": invite(body="a=x:" + "B" * 65000)[:65000],
        "request line only": f"INVITE sip:999@127.0.0.1:{port} SIP/2.0\r\n\r\n".encode(),
        "binary junk": bytes(range(256)) * 8,
        "bare CRLFs": b"\r\n" * 3,
    }


def test_malformed_datagrams_leave_the_process_answering_calls(
        server: Server, attacker: Endpoint, tmp_path: Path) -> None:
    for name, datagram in _malformed(server.sip_port, attacker.address).items():
        attacker.exchange(datagram, server.sip_port, quiet=0.15, limit=1.0)
        assert server.process.poll() is None, f"the process died on {name!r}"
    result = sipp(silent_until_server_hangs_up(), server, "100", tmp_path, timeout=20)
    assert result.returncode == 0, str(result.stdout)[-1500:]
    assert server.process.poll() is None
