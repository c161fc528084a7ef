"""A raw SIP caller with an RTP socket at its SDP port, for early media: it counts the
RTP packets that reach its audio port before and after the 200 OK, which SIPp cannot
report. Only on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import re
import selectors
import socket
import struct
import time
import uuid

from tests.support.raw_sip import SDP, Reply

HEADERS_KEPT = ("via", "from", "call-id", "max-forwards")
SILENCE_CODES = 4  # PCMU silence and comfort noise use only a few codes near 0xFF/0x7F


class RtpCaller:
    """One INVITE to `number` on the service at 127.0.0.1:`port`, and its RTP."""

    def __init__(self, port: int, number: str = "100") -> None:
        self.target = ("127.0.0.1", port)
        self.uri = f"sip:{number}@127.0.0.1:{port}"
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind(("127.0.0.1", 0))
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.rtp_packets = 0  # RTP datagrams received so far
        self.voiced = 0  # of which carry sound, not PCMU silence
        self.sound_at: dict[int, int] = {}  # status -> RTP packets with sound before it
        self.replies: list[Reply] = []
        self.requests: list[str] = []  # methods of the requests received (answered 200)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.sip, selectors.EVENT_READ)
        self._selector.register(self.rtp, selectors.EVENT_READ)
        self._invite = b""
        self.to_tag = ""
        self.contact = ""
        self.routes: list[str] = []  # the 2xx's Record-Route, reversed: a proxy's route set

    def invite(self) -> None:
        host, port = self.sip.getsockname()
        body = SDP.format(port=self.rtp_port)
        lines = [f"INVITE {self.uri} SIP/2.0",
                 f"Via: SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bK{uuid.uuid4().hex}",
                 f"From: <sip:caller@{host}:{port}>;tag={uuid.uuid4().hex[:10]}",
                 f"To: <{self.uri}>", f"Call-ID: {uuid.uuid4().hex}@{host}", "CSeq: 1 INVITE",
                 f"Contact: <sip:caller@{host}:{port}>", "Max-Forwards: 70",
                 "Content-Type: application/sdp", f"Content-Length: {len(body)}"]
        self._invite = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        self.sip.sendto(self._invite, self.target)

    def until(self, status: int, method: str = "INVITE", timeout: float = 10.0) -> Reply:
        """Read SIP and RTP until a reply to `method` with `status` (or any final one)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            for key, _ in self._selector.select(left):
                data = key.fileobj.recv(65535)  # type: ignore[union-attr]
                if key.fileobj is self.rtp:
                    self._count(data)
                    continue
                reply = self._note(data.decode(errors="replace"))
                if reply is not None and _method(reply) == method and (
                        reply.status == status or reply.status >= 200):
                    return reply
        raise AssertionError(f"no {status} within {timeout}s; got "
                             f"{[r.status for r in self.replies]}")

    def until_request(self, method: str, timeout: float = 10.0) -> None:
        """Read SIP and RTP until a `method` request arrives (answered 200)."""
        deadline = time.monotonic() + timeout
        while method not in self.requests:
            left = deadline - time.monotonic()
            assert left > 0, f"no {method} within {timeout}s; got {self.requests}"
            self._read(min(left, 0.2))

    def _read(self, timeout: float) -> None:
        for key, _ in self._selector.select(timeout):
            data = key.fileobj.recv(65535)  # type: ignore[union-attr]
            if key.fileobj is self.rtp:
                self._count(data)
            else:
                self._note(data.decode(errors="replace"))

    def sound_until(self, packets: int, timeout: float = 5.0) -> int:
        """Read until `packets` RTP packets with sound arrived in all (a SIP reply
        meanwhile is kept); returns how many did."""
        deadline = time.monotonic() + timeout
        while self.voiced < packets and (left := deadline - time.monotonic()) > 0:
            self._read(min(left, 0.2))
        return self.voiced

    def send_digit(self, digit: int, sdp: str) -> None:
        """An RFC 2833 digit (payload type 101, as offered) to the audio port in `sdp`:
        three packets of the event, then three with its end bit set."""
        host = re.search(r"c=IN IP4 (\S+)", sdp)
        port = re.search(r"m=audio (\d+)", sdp)
        assert host is not None and port is not None, sdp
        for seq in range(6):
            end = 0x80 if seq >= 3 else 0
            header = struct.pack("!BBHII", 0x80, 101 | (0x80 if seq == 0 else 0), seq + 1,
                                 160, 0x5EED)
            payload = struct.pack("!BBH", digit, end | 10, 160 * (seq + 1))
            self.rtp.sendto(header + payload, (host.group(1), int(port.group(1))))

    def _count(self, packet: bytes) -> None:
        """An RTP packet; sound when its PCMU payload is more than silence's few codes."""
        self.rtp_packets += 1
        self.voiced += len(set(packet[12:])) > SILENCE_CODES

    def _note(self, text: str) -> Reply | None:
        found = re.match(r"SIP/2.0 (\d{3})", text)
        if found is None:  # a request (BYE): answer it 200
            self.requests.append(text.split(" ", 1)[0])
            self._answer_request(text)
            return None
        reply = Reply(int(found.group(1)), text)
        if _method(reply) != "INVITE":
            return reply
        self.replies.append(reply)
        self.sound_at.setdefault(reply.status, self.voiced)
        if reply.status > 100 and (tag := re.search(r";tag=([^;>\s]+)", reply.headers("To")[0])):
            self.to_tag = tag.group(1)  # an early dialog's (18x) or the final reply's
            if reply.status < 300 and reply.headers("Contact"):
                self.contact = re.findall(r"<([^>]+)>", reply.headers("Contact")[0])[0]
                self.routes = list(reversed([r.strip() for header in reply.headers(
                    "Record-Route") for r in header.split(",")]))
        return reply

    def _answer_request(self, text: str) -> None:
        kept = [line for line in text.split("\r\n")
                if line.split(":")[0].lower() in ("via", "from", "to", "call-id", "cseq")]
        self.sip.sendto("\r\n".join(["SIP/2.0 200 OK", *kept, "Content-Length: 0", "", ""])
                        .encode(), self.target)

    def _in_dialog(self, method: str, uri: str, cseq: str, same_branch: bool) -> bytes:
        head = self._invite.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")[1:]
        kept = [h for h in head if h.split(":")[0].lower() in HEADERS_KEPT]
        if not same_branch:
            kept = [re.sub(r"branch=\S+", f"branch=z9hG4bK{uuid.uuid4().hex}", h)
                    if h.startswith("Via:") else h for h in kept]
        to = f"To: <{self.uri}>" + (f";tag={self.to_tag}" if self.to_tag else "")
        routes = [f"Route: {route}" for route in self.routes] if not same_branch else []
        return ("\r\n".join([f"{method} {uri} SIP/2.0", *kept, to, f"CSeq: {cseq}", *routes,
                             "Content-Length: 0", "", ""])).encode()

    def ack(self) -> None:
        """ACK the final reply: a 2xx's in a new transaction, an error's in the INVITE's."""
        answered = any(200 <= r.status < 300 for r in self.replies)
        uri = self.contact if answered else self.uri
        self.sip.sendto(self._in_dialog("ACK", uri, "1 ACK", not answered), self.target)

    def cancel(self) -> None:
        saved, self.to_tag = self.to_tag, ""  # a CANCEL's To is the INVITE's
        self.sip.sendto(self._in_dialog("CANCEL", self.uri, "1 CANCEL", True), self.target)
        self.to_tag = saved

    def bye(self) -> None:
        self.sip.sendto(self._in_dialog("BYE", self.contact, "2 BYE", False), self.target)

    def close(self) -> None:
        self._selector.close()
        self.sip.close()
        self.rtp.close()


def _method(reply: Reply) -> str:
    return reply.headers("CSeq")[0].split()[-1]
