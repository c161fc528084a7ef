"""The office example (examples/office) copied beside a test, its trunk pointed at the
test provider (provider.py), and a phone registered as 201 that dials through it: what
test_office_trunk.py and test_office_attacks.py share (their fixtures: conftest.py)."""

from __future__ import annotations

import json
import shutil
import tomllib
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from tests.dialplan.trunks.provider import REALM, next_request
from tests.support.digest_phone import acknowledge, in_dialog, with_digest
from tests.support.harness import Server
from tests.support.raw_sip import SDP, Peer, Reply

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_PASSWORD = "pr0vider-Secret"  # provider.py's
PHONE_PASSWORD = "office-phone-201"


def office_copy(tmp_path: Path) -> Path:
    """A copy of the office example (and the demo it includes) with extension 201."""
    shutil.copytree(ROOT / "examples" / "office", tmp_path / "office",
                    ignore=shutil.ignore_patterns("var"))
    shutil.copytree(ROOT / "examples" / "dialplans", tmp_path / "dialplans")
    upgrade(url := sqlite_url(tmp_path / "office" / "var" / "dialplan.db"))
    directory = open_directory(url, "office")
    directory.add(Extension("201"), PHONE_PASSWORD)
    directory.close()
    return tmp_path / "office"


def settings(office: Path, provider: Peer, password_file: str = "") -> str:
    """The example's own [directory] and [trunks.provider], the trunk pointed at the
    test provider: its address, its realm, and its address as the trunk's source (its
    calls need no password; the harness writes [serve]); `password_file` (relative to
    the office) in place of its variable."""
    example = tomllib.loads((office / "dialplan.toml").read_text())
    trunk = example["trunks"]["provider"] | {"proxy": f"127.0.0.9:{provider.port}",
                                              "realm": REALM, "timeout": 5,
                                              "sources": [f"{provider.host}/32"]}
    if password_file:  # instead of the example's variable
        trunk = {k: v for k, v in trunk.items() if k != "password_env"} \
            | {"password_file": password_file}
    tables = {"directory": example["directory"], "trunks.provider": trunk}
    return "".join(f"\n[{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n"
                                               for key, value in table.items())
                   for name, table in tables.items())


def dial(phone: Peer, server: Server, number: str, pool: ThreadPoolExecutor
         ) -> Future[Reply | None]:
    """201 calls `number` (a new dialog, answered once with its digest): the final reply,
    to come."""
    phone.call_id = f"{uuid.uuid4().hex}@127.0.0.3"
    uri = f"sip:{number}@127.0.0.1:{server.sip_port}"
    return pool.submit(with_digest, phone, "INVITE", uri, "201", PHONE_PASSWORD,
                       body=SDP.format(port=40040))


def told_and_hung_up(phone: Peer, answer: Reply | None) -> None:
    """The flow answered 201 to tell it something: ACK, then 201 hangs up."""
    assert answer is not None and answer.status == 200, answer
    acknowledge(phone, answer, "201")
    in_dialog(phone, answer, "201", "BYE", 3)
    while (done := phone.final(5)) is not None and "BYE" not in done.headers("CSeq")[0]:
        pass  # the 200 to the INVITE again, before the ACK arrived
    assert done is not None and done.status == 200, done


def authorized(provider: Peer, header: str) -> Reply | None:
    """The next INVITE carrying `header` (retransmissions of the first skipped)."""
    while (request := next_request(provider, "INVITE")) is not None:
        if request.headers(header):
            return request
    return None
