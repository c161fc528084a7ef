"""Hand-made SIP over UDP or TLS on loopback, for what SIPp cannot do: malformed requests,
counting every datagram one request provokes (amplification), attacks the SIPp
scenarios cannot word (a forged Route, a dialog abused for relay), and a call over TLS,
which Debian's SIPp is built without. Only to 127.0.0.1 and nearby loopback addresses;
each exchange is bounded in time.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import uuid
from dataclasses import dataclass

SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\n")


def sip_request(method: str, uri: str, local: tuple[str, int], transport: str = "UDP",
                call_id: str = "", tag: str = "", cseq: int = 1, to_tag: str = "",
                routes: tuple[str, ...] = (), body: str = "", extra: str = "") -> bytes:
    """A request from `local` (a new Call-ID and From tag unless given); `extra` header
    lines go in as they are, before Content-Length."""
    host, port = local
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/{transport} {host}:{port};rport;branch=z9hG4bK{uuid.uuid4().hex}",
             f"From: <sip:attacker@{host}:{port}>;tag={tag or uuid.uuid4().hex[:10]}",
             f"To: <{uri}>" + (f";tag={to_tag}" if to_tag else ""),
             f"Call-ID: {call_id or f'{uuid.uuid4().hex}@{host}'}", f"CSeq: {cseq} {method}",
             f"Contact: <sip:attacker@{host}:{port};transport={transport.lower()}>",
             "Max-Forwards: 70", *(f"Route: {route}" for route in routes)]
    if extra:
        lines.append(extra.rstrip("\r\n"))
    return ("\r\n".join(lines) + f"\r\nContent-Length: {len(body.encode())}\r\n\r\n"
            + body).encode()


def request(method: str, port: int, local: tuple[str, int], user: str = "100",
            extra: str = "", body: str = "", to_tag: str = "") -> bytes:
    """A well-formed out-of-dialog request from `local` to the service on `port`."""
    return sip_request(method, f"sip:{user}@127.0.0.1:{port}", local, extra=extra,
                       body=body, to_tag=to_tag)


@dataclass
class Datagrams:
    """Every datagram that came back to an Endpoint: their first lines and total size."""

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


class Endpoint:
    """A UDP socket on 127.0.0.x that sends datagrams and collects what comes back."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.address: tuple[str, int] = self.sock.getsockname()

    def close(self) -> None:
        self.sock.close()

    def exchange(self, data: bytes, port: int, quiet: float = 0.6,
                 limit: float = 3.0) -> Datagrams:
        """Send one datagram; gather replies until `quiet` seconds pass without one."""
        self.sock.sendto(data, ("127.0.0.1", port))
        return self.collect(quiet, limit)

    def collect(self, quiet: float = 0.6, limit: float = 3.0) -> Datagrams:
        reply = Datagrams([], [], 0, [])
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


@dataclass
class Reply:
    status: int
    text: str

    def headers(self, name: str) -> list[str]:
        return re.findall(rf"^{name}:\s*(.*?)\r?$", self.text, re.MULTILINE | re.IGNORECASE)


class Peer:
    """One SIP peer: a UDP socket on `host`, or a TLS connection to the proxy."""

    def __init__(self, proxy: tuple[str, int], host: str = "127.0.0.1",
                 tls: bool = False) -> None:
        self.proxy, self.tls = proxy, tls
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM if tls else socket.SOCK_DGRAM)
        raw.bind((host, 0))
        self.host, self.port = raw.getsockname()
        if tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
            raw.settimeout(5)
            raw.connect(proxy)
            raw = context.wrap_socket(raw)
        self.sock = raw
        self.buffer = b""
        self.call_id, self.tag = f"{uuid.uuid4().hex}@{host}", uuid.uuid4().hex[:10]

    @property
    def transport(self) -> str:
        return "TLS" if self.tls else "UDP"

    def request(self, method: str, uri: str, cseq: int = 1, to_tag: str = "",
                routes: tuple[str, ...] = (), body: str = "", extra: str = "") -> bytes:
        """A request in this peer's one dialog (its Call-ID and From tag)."""
        kind = "Content-Type: application/sdp\r\n" if body else ""
        return sip_request(method, uri, (self.host, self.port), self.transport, self.call_id,
                           self.tag, cseq, to_tag, routes, body, kind + extra)

    def send(self, message: bytes) -> None:
        if self.tls:
            self.sock.sendall(message)
        else:
            self.sock.sendto(message, self.proxy)

    def receive(self, timeout: float = 5.0) -> Reply | None:
        """The next message (reply or request), or None after `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            data = self._tls_message() if self.tls else self.sock.recv(65535)
        except (TimeoutError, ssl.SSLError, ConnectionError):
            return None
        text = data.decode(errors="replace")
        found = re.match(r"SIP/2.0 (\d{3})", text)
        return Reply(int(found.group(1)) if found else 0, text)

    def final(self, timeout: float = 10.0) -> Reply | None:
        """The next final reply (1xx and requests skipped)."""
        while (reply := self.receive(timeout)) is not None:
            if reply.status >= 200:
                return reply
        return None

    def _tls_message(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._read()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        found = re.search(rb"Content-Length:\s*(\d+)", head, re.IGNORECASE)
        size = int(found.group(1)) if found else 0
        while len(rest) < size:
            rest += self._read()
        self.buffer = rest[size:]
        return head + b"\r\n\r\n" + rest[:size]

    def _read(self) -> bytes:
        chunk = self.sock.recv(65535)
        if not chunk:
            raise ConnectionError("closed")
        return chunk

    def close(self) -> None:
        self.sock.close()


@dataclass
class Dialog:
    """A call a Peer placed and got answered: what in-dialog requests need."""
    peer: Peer
    target: str  # the engine's Contact
    to_tag: str
    routes: tuple[str, ...]


def place_call(peer: Peer, number: str, media_port: int) -> Dialog:
    """INVITE `number` through the proxy, take the 200, ACK it along its route set."""
    host, port = peer.proxy
    peer.send(peer.request("INVITE", f"sip:{number}@{host}:{port}",
                           body=SDP.format(port=media_port)))
    answer = peer.final()
    assert answer is not None and answer.status == 200, answer
    to_tag = re.search(r";tag=([^;>\s]+)", answer.headers("To")[0])
    contact = re.search(r"<([^>]+)>", answer.headers("Contact")[0])
    assert to_tag and contact
    routes = tuple(reversed([r.strip() for header in answer.headers("Record-Route")
                             for r in header.split(",")]))
    dialog = Dialog(peer, contact.group(1), to_tag.group(1), routes)
    peer.send(peer.request("ACK", dialog.target, to_tag=dialog.to_tag, routes=routes))
    return dialog


def await_request(peer: Peer, method: str, timeout: float = 15.0) -> Reply | None:
    """The next `method` request the peer receives (replies skipped), answered 200."""
    while (message := peer.receive(timeout)) is not None:
        if message.text.startswith(f"{method} "):
            copied = [line for line in message.text.split("\r\n")
                      if line.split(":")[0].lower() in ("via", "from", "to", "call-id", "cseq")]
            peer.send("\r\n".join(["SIP/2.0 200 OK", *copied, "Content-Length: 0", "",
                                    ""]).encode())
            return message
    return None


def hang_up(dialog: Dialog) -> Reply | None:
    peer = dialog.peer
    peer.send(peer.request("BYE", dialog.target, cseq=2, to_tag=dialog.to_tag,
                           routes=dialog.routes))
    return peer.final()
