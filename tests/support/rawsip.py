"""Raw SIP over UDP on loopback for the attack tests: hand-built requests, the replies.

Why raw: SIPp cannot send malformed requests or count every datagram a single
request provokes (the amplification cases). Everything goes to and from 127.0.0.x;
each exchange is bounded by a short quiet period.
"""

from __future__ import annotations

import itertools
import socket
import time
from dataclasses import dataclass

_ids = itertools.count(1)


@dataclass
class Reply:
    """Every datagram that came back: their first lines and total size."""

    lines: list[str]
    headers: list[str]
    size: int
    datagrams: list[bytes]

    @property
    def statuses(self) -> list[int]:
        return [int(line.split()[1]) for line in self.lines if line.startswith("SIP/2.0 ")]

    @property
    def requests(self) -> list[str]:
        return [line.split()[0] for line in self.lines if not line.startswith("SIP/2.0 ")]


def request(method: str, port: int, local: tuple[str, int], user: str = "100",
            extra: str = "", body: str = "", to_tag: str = "") -> bytes:
    """A well-formed out-of-dialog request from `local` to the service on `port`."""
    host, lport = local
    n = next(_ids)
    lines = [
        f"{method} sip:{user}@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP {host}:{lport};branch=z9hG4bK-attack-{n}-{time.time_ns()}",
        f"From: <sip:attacker@{host}:{lport}>;tag=a{n}",
        f"To: <sip:{user}@127.0.0.1:{port}>" + (f";tag={to_tag}" if to_tag else ""),
        f"Call-ID: attack-{n}-{time.time_ns()}@{host}",
        f"CSeq: 1 {method}",
        f"Contact: <sip:attacker@{host}:{lport}>",
        "Max-Forwards: 70",
    ]
    if extra:
        lines.append(extra.rstrip("\r\n"))
    head = "\r\n".join(lines) + f"\r\nContent-Length: {len(body.encode())}\r\n\r\n"
    return head.encode() + body.encode()


SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


class Endpoint:
    """A UDP socket on 127.0.0.x that sends datagrams and collects what comes back."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.address: tuple[str, int] = self.sock.getsockname()

    def close(self) -> None:
        self.sock.close()

    def exchange(self, data: bytes, port: int, quiet: float = 0.6,
                 limit: float = 3.0) -> Reply:
        """Send one datagram; gather replies until `quiet` seconds pass without one."""
        self.sock.sendto(data, ("127.0.0.1", port))
        return self.collect(quiet, limit)

    def collect(self, quiet: float = 0.6, limit: float = 3.0) -> Reply:
        reply = Reply([], [], 0, [])
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            self.sock.settimeout(quiet)
            try:
                data, _ = self.sock.recvfrom(70000)
            except TimeoutError:
                break
            text = data.decode("latin-1")
            reply.lines.append(text.split("\r\n", 1)[0])
            reply.headers.extend(text.split("\r\n\r\n", 1)[0].split("\r\n")[1:])
            reply.size += len(data)
            reply.datagrams.append(data)
        return reply

    def answer(self, request_data: bytes, status: str) -> None:
        """Send `status` (e.g. "486 Busy Here") for a request this endpoint received."""
        head = request_data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        kept = [h for h in head[1:]
                if h.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id", "cseq")]
        kept = [h + ";tag=busy" if h.lower().startswith("to:") else h for h in kept]
        via = next(h for h in kept if h.lower().startswith("via:"))
        host, port = via.split()[2].split(";")[0].rsplit(":", 1)
        text = f"SIP/2.0 {status}\r\n" + "\r\n".join(kept) + "\r\nContent-Length: 0\r\n\r\n"
        self.sock.sendto(text.encode(), (host, int(port)))
