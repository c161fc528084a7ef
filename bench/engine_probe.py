"""A minimal SIP UAC over raw UDP that times INVITE -> 200 OK in microseconds.

Why: SIPp reports response times in whole milliseconds, and the engine
answers on loopback in well under one, so SIPp alone says "0 ms". This probe
sends a real INVITE with an SDP offer, times the 200 OK with
``perf_counter``, then ACKs and BYEs, so each call is complete and clean.
"""

from __future__ import annotations

import random
import socket
import time

SDP = (
    "v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio {rtp} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
)


def _request(method: str, target: str, local: str, call_id: str, cseq: int, to_tag: str,
             body: str = "") -> bytes:  # fmt: skip
    branch = f"z9hG4bK{random.getrandbits(48):x}"
    lines = [
        f"{method} sip:probe@{target} SIP/2.0",
        f"Via: SIP/2.0/UDP {local};branch={branch};rport",
        f"From: <sip:probe@{local}>;tag=probe{call_id[:8]}",
        f"To: <sip:probe@{target}>{';tag=' + to_tag if to_tag else ''}",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {method}",
        f"Contact: <sip:probe@{local}>",
        "Max-Forwards: 70",
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def _status_and_tag(data: bytes) -> tuple[int, str]:
    text = data.decode(errors="replace")
    status = int(text.split(" ", 2)[1])
    for line in text.split("\r\n"):
        if line.lower().startswith(("to:", "t:")) and ";tag=" in line:
            return status, line.split(";tag=", 1)[1].split(";")[0].strip()
    return status, ""


def timed_call(target_port: int, rtp_port: int, timeout: float = 5.0) -> float:
    """One complete call; returns INVITE -> 200 OK in milliseconds."""
    target = f"127.0.0.1:{target_port}"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(timeout)
        local = f"127.0.0.1:{sock.getsockname()[1]}"
        call_id = f"{random.getrandbits(64):x}@probe"
        invite = _request("INVITE", target, local, call_id, 1, "", SDP.format(rtp=rtp_port))
        started = time.perf_counter()
        sock.sendto(invite, ("127.0.0.1", target_port))
        while True:
            status, tag = _status_and_tag(sock.recv(65535))
            if status >= 200:
                break
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"probe call got {status}")
        sock.sendto(_request("ACK", target, local, call_id, 1, tag), ("127.0.0.1", target_port))
        sock.sendto(_request("BYE", target, local, call_id, 2, tag), ("127.0.0.1", target_port))
        while _status_and_tag(sock.recv(65535))[0] < 200:
            pass
    return elapsed
