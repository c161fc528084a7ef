"""What the registrar tests share: a real Kamailio made by dialplan.proxy over a
directory database (SQLite or PostgreSQL, made by the directory's migrations), phones
that register with SIPp's `[authentication]` or a raw digest client from chosen
loopback addresses. All on 127.0.0.x, every process bounded in time and stopped by the
test.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import uuid
from pathlib import Path

import sqlalchemy as sa

from dialplan.directory.database import make_engine
from dialplan.directory.schema import location
from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import answers_options, start_proxy, stop_proxy
from dialplan.proxy.registrar import RegistrarSettings
from tests.engine.support import free_port_block
from tests.support.raw_sip import Peer, Reply


def locations(url: str) -> list[str]:
    """The extensions with a row in the directory's `location` table, sorted."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return sorted(connection.scalars(sa.select(location.c.username)))
    finally:
        engine.dispose()


REGISTER = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
  <send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[field0]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
Max-Forwards: 70
Expires: {expires}
Content-Length: 0

]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[field0]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
[field1]
Max-Forwards: 70
Expires: {expires}
Content-Length: 0

]]></send>
  <recv response="{answer}"{auth}/>
</scenario>
"""


def register(proxy_port: int, host: str, phones: list[tuple[str, str]], workdir: Path,
             expires: int = 300, answer: int = 200, rate: float = 20.0,
             timeout: float = 20.0, local: int = 0) -> subprocess.CompletedProcess[str]:
    """Each (number, password) registers once from `host` (port `local`, default a free
    one) with SIPp; `answer` is the final reply each must get to the authenticated
    REGISTER."""
    local = local or free_port_block(1)
    scenario = workdir / f"register-{local}.xml"
    scenario.write_text(REGISTER.format(expires=expires, answer=answer,
                                        auth=' auth="true"' if answer == 401 else ""))
    fields = workdir / f"phones-{local}.csv"
    fields.write_text("SEQUENTIAL\n" + "".join(  # SIPp takes the keyword whole from a field
        f"{n};[authentication username={n} password={p}]\n" for n, p in phones))
    return subprocess.run(
        ["sipp", f"127.0.0.1:{proxy_port}", "-sf", str(scenario), "-inf", str(fields),
         "-i", host, "-p", str(local), "-m", str(len(phones)), "-r", str(rate),
         "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin"],
        cwd=workdir, capture_output=True, text=True, timeout=timeout + 15, check=False)


class Registrar:
    """Kamailio as registrar and edge in front of `engines`, on a free port."""

    def __init__(self, workdir: Path, registrar: RegistrarSettings,
                 engines: tuple[str, ...] = ()) -> None:
        self.port = free_port_block(1)
        self.workdir = workdir
        self.settings = ProxySettings("127.0.0.1", self.port, engines,
                                      workdir / "dispatcher.list", registrar=registrar)
        self._start()

    def _start(self) -> None:
        self.process = start_proxy(self.settings, self.workdir, await_answer=False)
        if not answers_options("127.0.0.1", self.port, timeout=15):
            raise RuntimeError(f"Kamailio does not answer:\n{self.log()[-3000:]}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def restart(self) -> None:
        """`kill -TERM`, then started again from the same configuration."""
        stop_proxy(self.process, self.settings.stop_timeout)
        self._start()

    def stop(self) -> None:
        stop_proxy(self.process, self.settings.stop_timeout)

    def log(self) -> str:
        return (self.workdir / "kamailio.log").read_text(errors="replace")


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


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


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


def refuse(peer: Peer, request: Reply, status: str = "486 Busy Here") -> None:
    """A phone on `peer` answers an INVITE it was sent (through the proxy) with `status`."""
    copied = [line for line in request.text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
              if line.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id",
                                                           "cseq")]
    tagged = [f"{line};tag=busy" if line.lower().startswith("to:") else line
              for line in copied]
    peer.send("\r\n".join([f"SIP/2.0 {status}", *tagged, "Content-Length: 0", "", ""])
              .encode())


BARESIP = """poll_method epoll
sip_listen {host}:0
sip_transports udp
audio_player aufile,/dev/null
audio_source ausine,440
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aufile.so
module account.so
"""


def baresip(folder: Path, host: str, proxy_port: int, number: str, password: str,
            seconds: int = 20) -> subprocess.Popen[bytes]:
    """A real softphone (Debian baresip) on `host` registering `number`; it quits by
    itself after `seconds`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config").write_text(BARESIP.format(host=host))
    (folder / "accounts").write_text(f"<sip:{number}@127.0.0.1:{proxy_port};transport=udp>"
                                     f";auth_pass={password};regint=60\n")
    return subprocess.Popen(["baresip", "-f", str(folder), "-t", str(seconds)],
                            stdout=(folder / "baresip.log").open("wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
