"""The trunks' side of the generated Kamailio configuration: every variant passes
`kamailio -c`; the password only in the two 0600 tables; what the routes check. What
the edge does to real traffic: tests/dialplan/trunks/test_trunks_sip.py."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from dialplan.proxy.kamailio import ProxySettings, write_files
from dialplan.proxy.registrar import RegistrarSettings
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk

PASSWORD = "pr0vider-Secret"
CARRIER = EdgeTrunk(Trunk("carrier", "127.0.0.9:5090", "4930123", domain="carrier.example",
                          sources=("127.0.0.9/32",)), PASSWORD)
BACKUP = EdgeTrunk(Trunk("backup", "sip.backup.example", "u2", register=False,
                         from_user="4930999", timeout=8,
                         failover=("sip2.backup.example:5070", "10.0.0.7")), PASSWORD + "2")
IDLE = EdgeTrunk(Trunk("idle", "sip.idle.example", "u3", password_env="IDLE_PASSWORD"),
                 out_of_service="[trunks.idle] password_env names IDLE_PASSWORD, ...")


def checked(settings: ProxySettings, folder: Path) -> str:
    path = write_files(settings, folder)
    result = subprocess.run(["kamailio", "-c", "-f", str(path)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return path.read_text()


@pytest.mark.parametrize("registrar", [None, RegistrarSettings("sqlite:///tmp/x.db",
                                                               trunk_sources=("127.0.0.9",))],
                         ids=["dispatcher", "registrar"])
@pytest.mark.parametrize("trunks", [(CARRIER,), (CARRIER, BACKUP), (BACKUP,), (IDLE,),
                                    (IDLE, CARRIER)],
                         ids=["registering", "two", "not-registering", "out-of-service",
                              "out-of-service-and-one"])
def test_kamailio_accepts_every_trunk_variant(tmp_path: Path, registrar: RegistrarSettings
                                              | None, trunks: tuple[EdgeTrunk, ...]) -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list",
                             registrar=registrar, trunks=trunks)
    text = checked(settings, tmp_path)
    assert text.count('loadmodule "ipops.so"') == 1
    for edge in (t for t in trunks if not t.out_of_service):
        assert f'uac_replace_from("sip:{edge.from_user}@{edge.domain}")' in text
        assert f'$ru = "sip:" + $rU + "@{edge.trunk.proxy}";' in text
    assert "{" + "{" not in text and "{%" not in text


def test_the_password_is_only_in_files_the_service_user_reads(tmp_path: Path) -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list",
                             trunks=(CARRIER, BACKUP))
    (tmp_path / "kamailio.cfg").write_text("")
    (tmp_path / "kamailio.cfg").chmod(0o644)  # a stale one, readable by others
    write_files(settings, tmp_path)
    holding = [p for p in tmp_path.rglob("*") if p.is_file() and PASSWORD in p.read_text()]
    assert sorted(p.name for p in holding) == ["trunkauth", "uacreg"]  # not the config
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in holding)
    assert stat.S_IMODE((tmp_path / "trunks").stat().st_mode) == 0o700


def test_only_registering_trunks_are_in_the_registration_table(tmp_path: Path) -> None:
    settings = ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list",
                             trunks=(CARRIER, BACKUP))
    write_files(settings, tmp_path)
    rows = (tmp_path / "trunks" / "uacreg").read_text().splitlines()[1:]
    assert len(rows) == 1
    assert rows[0].startswith("1:carrier:4930123:carrier.example:")
    assert "sip\\:127.0.0.9\\:5090" in rows[0]  # the registrar, `:` escaped for db_text


def test_a_trunk_is_reached_only_from_the_engines(tmp_path: Path) -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list",
                             trunks=(CARRIER,))
    text = checked(settings, tmp_path)
    route = text[text.index("route[TRUNKS]"):text.index("route[TRUNK_OUT]")]
    assert route.index('if (!ds_is_from_list("1", "2"))') < route.index("route(TRUNK_OUT)")
    main = text[text.index("request_route"):text.index("route[DIALOG_KEY]")]
    assert main.index("route(TRUNKS)") < main.index("ds_select_dst")


def test_a_trunk_out_of_service_answers_503_and_never_registers(tmp_path: Path) -> None:
    """Out of service is its password missing from the tables Kamailio reloads (so it
    can come back without a restart: refresh.py), not something written in the
    configuration."""
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list",
                             trunks=(IDLE, CARRIER))
    text = checked(settings, tmp_path)
    idle = text[text.index('if ($var(trunk) == "idle")'):text.index('"carrier")')]
    assert idle.index("if ($sht(trunkauth=>idle) == $null)") \
        < idle.index('sl_send_reply("503", "Trunk Out Of Service")') < idle.index("TRUNK_OUT")
    rows = (tmp_path / "trunks" / "uacreg").read_text().splitlines()[1:]
    assert [row.split(":")[1] for row in rows] == ["carrier"]
    passwords = (tmp_path / "trunks" / "trunkauth").read_text().splitlines()[1:]
    assert [row.split(":")[1] for row in passwords] == ["carrier"]
