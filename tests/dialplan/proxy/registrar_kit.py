"""What the registrar tests share: a real Kamailio made by dialplan.proxy over a
directory database (SQLite or PostgreSQL, made by the directory's migrations), phones
that register with SIPp's `[authentication]` from chosen loopback addresses (the raw
digest phone is tests/support/digest_phone.py, the softphone tests/support/baresip.py).
All on 127.0.0.x, every process bounded in time and stopped by the test.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import sqlalchemy as sa

from dialplan.directory.database import make_engine
from dialplan.directory.schema import location
from dialplan.proxy.kamailio import ProxySettings
from dialplan.proxy.process import answers_options, start_proxy, stop_proxy
from dialplan.proxy.registrar import RegistrarSettings
from tests.engine.support import free_port_block


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
