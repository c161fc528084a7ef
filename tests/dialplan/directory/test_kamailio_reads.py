"""Kamailio itself reads the directory: auth_db authenticates a REGISTER against the
`subscriber` view and usrloc saves the contact in `location`, on SQLite and PostgreSQL,
with nothing copied. A small registrar configuration of our own, not the product's
(the proxy renders that one): this proves the schema contract only."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dialplan.directory import Directory, Extension, kamailio_db_url, open_directory, upgrade
from tests.support.harness import wait_for
from tests.support.redis_server import free_port

CONFIG = """#!KAMAILIO
log_stderror=yes
children=1
listen=udp:127.0.0.1:{port}
loadmodule "{module}.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "textops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
modparam("usrloc", "db_url", "{url}")
modparam("usrloc", "db_mode", 1)
modparam("auth_db", "db_url", "{url}")
modparam("auth_db", "load_credentials", "$avp(max)=max_contacts")
request_route {{
    if (!is_method("REGISTER")) {{ sl_send_reply("404", "Not Here"); exit; }}
    if (!www_authenticate("pbx.example", "subscriber")) {{
        www_challenge("pbx.example", "0");
        exit;
    }}
    xlog("L_INFO", "registered $fU max_contacts=$avp(max)\\n");
    save("location");
}}
"""


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class Phone:
    """REGISTERs over UDP from a loopback port, answering the digest challenge."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(3)
        self.local = self.socket.getsockname()[1]

    def send(self, user: str, cseq: int, authorization: str = "") -> str:
        request = (
            f"REGISTER sip:127.0.0.1:{self.port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.local};rport;branch=z9hG4bK{uuid.uuid4().hex}"
            f"\r\nFrom: <sip:{user}@pbx.example>;tag=t{self.local}\r\n"
            f"To: <sip:{user}@pbx.example>\r\nCall-ID: c{self.local}@test\r\n"
            f"CSeq: {cseq} REGISTER\r\nContact: <sip:{user}@127.0.0.1:{self.local}>\r\n"
            f"Expires: 60\r\nMax-Forwards: 70\r\n{authorization}Content-Length: 0\r\n\r\n")
        self.socket.sendto(request.encode(), ("127.0.0.1", self.port))
        return self.socket.recv(4096).decode()

    def register(self, user: str, password: str) -> int:
        """The final status of a REGISTER answered with `password`."""
        challenge = self.send(user, 1)
        nonce = re.search(r'nonce="([^"]+)"', challenge)
        assert nonce is not None, challenge
        uri = f"sip:127.0.0.1:{self.port}"
        response = _md5(f"{_md5(f'{user}:pbx.example:{password}')}:{nonce[1]}:"
                        f"{_md5(f'REGISTER:{uri}')}")
        answer = self.send(user, 2, f'Authorization: Digest username="{user}", realm='
                           f'"pbx.example", nonce="{nonce[1]}", uri="{uri}", response='
                           f'"{response}", algorithm=MD5\r\n')
        return int(answer.split()[1])

    def close(self) -> None:
        self.socket.close()


def _answers(phone: Phone) -> bool:
    phone.socket.settimeout(0.2)
    try:
        return phone.send("probe", 1).startswith("SIP/2.0 401")
    except TimeoutError:
        return False
    finally:
        phone.socket.settimeout(3)


@pytest.fixture
def registrar(directory_url: str, tmp_path: Path) -> Iterator[tuple[Directory, Phone]]:
    upgrade(directory_url)
    directory = open_directory(directory_url, "pbx.example")
    port = free_port()
    module = "db_sqlite" if directory_url.startswith("sqlite") else "db_postgres"
    config = tmp_path / "kamailio.cfg"
    config.write_text(CONFIG.format(port=port, module=module,
                                    url=kamailio_db_url(directory_url)))
    log = tmp_path / "kamailio.log"
    process = subprocess.Popen(["kamailio", "-DD", "-E", "-f", str(config)],
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    phone = Phone(port)
    try:
        wait_for(lambda: process.poll() is not None or _answers(phone), 10,
                 lambda: log.read_text())
        assert process.poll() is None, log.read_text()
        yield directory, phone
    finally:
        phone.close()
        process.terminate()
        process.wait(timeout=10)
        directory.close()


def test_kamailio_authenticates_from_the_directory_and_saves_the_contact(
        registrar: tuple[Directory, Phone]) -> None:
    directory, phone = registrar
    directory.add(Extension("201", max_contacts=3), "correct horse")
    assert phone.register("201", "correct horse") == 200
    with directory.engine.connect() as connection:
        contacts = connection.execute(sa.text(
            "SELECT username, contact FROM location")).all()
    assert contacts == [("201", f"sip:201@127.0.0.1:{phone.local}")]


def test_kamailio_refuses_a_wrong_password_and_a_disabled_extension(
        registrar: tuple[Directory, Phone]) -> None:
    directory, phone = registrar
    directory.add(Extension("201"), "correct horse")
    directory.add(Extension("202", enabled=False), "battery staple")
    assert phone.register("201", "wrong horse") == 401
    assert phone.register("202", "battery staple") == 401
    directory.set("202", enabled=True)  # seen by Kamailio's next query: nothing copied
    assert phone.register("202", "battery staple") == 200
