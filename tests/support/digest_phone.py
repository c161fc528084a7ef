"""A phone made of raw SIP (tests/support/raw_sip.py's Peer) that proves an extension's
password: it registers and calls through the registrar, answering each 401/407 once
with a digest (MD5, qop=auth), acknowledges answers along their route set, and refuses
what rings it. For what the real softphone (baresip.py) cannot be told to do: a wrong
password, someone else's extension, a request at a chosen moment."""

from __future__ import annotations

import hashlib
import re
import uuid

from tests.support.raw_sip import Peer, Reply


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def authorization(challenge: str, method: str, uri: str, user: str, password: str) -> str:
    """The Authorization value answering a Digest `challenge` (MD5, qop=auth)."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    ha1 = _md5(f"{user}:{fields['realm']}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    cnonce = uuid.uuid4().hex[:16]
    response = _md5(f"{ha1}:{fields['nonce']}:00000001:{cnonce}:auth:{ha2}")
    return (f'Digest username="{user}", realm="{fields["realm"]}", '
            f'nonce="{fields["nonce"]}", uri="{uri}", response="{response}", '
            f'algorithm=MD5, qop=auth, nc=00000001, cnonce="{cnonce}"')


def phone_request(peer: Peer, method: str, uri: str, number: str, to: str, cseq: int = 1,
                  extra: str = "", body: str = "", to_tag: str = "", contact: str = ""
                  ) -> bytes:
    """A request from extension `number` on `peer` (its From and Contact, unless
    `contact` says otherwise) to `to`."""
    kind = "Content-Type: application/sdp\r\n" if body else ""
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/UDP {peer.host}:{peer.port};rport;branch=z9hG4bK{uuid.uuid4().hex}",
             f"From: <sip:{number}@127.0.0.1>;tag={peer.tag}",
             f"To: <{to}>" + (f";tag={to_tag}" if to_tag else ""),
             f"Call-ID: {peer.call_id}", f"CSeq: {cseq} {method}",
             f"Contact: <{contact or f'sip:{number}@{peer.host}:{peer.port}'}>",
             "Max-Forwards: 70"]
    return ("\r\n".join(lines) + "\r\n" + kind + extra
            + f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode()


def with_digest(peer: Peer, method: str, uri: str, number: str, password: str,
                to: str = "", extra: str = "", body: str = "", contact: str = ""
                ) -> Reply | None:
    """`method` from `number` to `uri`, answered once with digest credentials if
    challenged: the final reply (the challenge itself when the password is wrong)."""
    to = to or uri
    peer.send(phone_request(peer, method, uri, number, to, 1, extra, body, contact=contact))
    first = peer.final()
    if first is None or first.status not in (401, 407):
        return first
    name = "WWW-Authenticate" if first.status == 401 else "Proxy-Authenticate"
    answer = "Authorization" if first.status == 401 else "Proxy-Authorization"
    if method == "INVITE":  # the challenge was a final reply: acknowledged
        peer.send(phone_request(peer, "ACK", uri, number, to, to_tag=to_tag(first)))
    credentials = authorization(first.headers(name)[0], method, uri, number, password)
    peer.send(phone_request(peer, method, uri, number, to, 2,
                            f"{answer}: {credentials}\r\n{extra}", body, contact=contact))
    return peer.final()


def to_tag(reply: Reply) -> str:
    found = re.search(r";tag=([^;>\s]+)", reply.headers("To")[0])
    return found.group(1) if found else ""


def phone_register(peer: Peer, proxy_port: int, number: str, password: str,
                   expires: int = 300) -> Reply | None:
    """A raw phone on `peer` registers `number` for `expires` seconds."""
    return with_digest(peer, "REGISTER", f"sip:127.0.0.1:{proxy_port}", number, password,
                       to=f"sip:{number}@127.0.0.1:{proxy_port}",
                       extra=f"Expires: {expires}\r\n")


def in_dialog(phone: Peer, answer: Reply, number: str, method: str, cseq: int) -> None:
    """`method` (ACK, BYE) in the dialog a 200 set up, along its route set (the proxy's
    Record-Route)."""
    contact = re.search(r"<([^>]+)>", answer.headers("Contact")[0])
    assert contact is not None
    routes = [r.strip() for h in answer.headers("Record-Route") for r in h.split(",")]
    extra = "".join(f"Route: {route}\r\n" for route in reversed(routes))
    to = re.search(r"<([^>]+)>", answer.headers("To")[0])
    assert to is not None
    phone.send(phone_request(phone, method, contact.group(1), number, to.group(1), cseq,
                             extra, to_tag=to_tag(answer)))


def acknowledge(phone: Peer, answer: Reply, number: str) -> None:
    """ACK a 200 (to the INVITE `with_digest` sent second)."""
    in_dialog(phone, answer, number, "ACK", 2)


def refuse(peer: Peer, request: Reply, status: str = "486 Busy Here") -> None:
    """A phone on `peer` answers an INVITE it was sent (through the proxy) with `status`."""
    copied = [line for line in request.text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
              if line.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id",
                                                           "cseq")]
    tagged = [f"{line};tag=busy" if line.lower().startswith("to:") else line
              for line in copied]
    peer.send("\r\n".join([f"SIP/2.0 {status}", *tagged, "Content-Length: 0", "", ""])
              .encode())
