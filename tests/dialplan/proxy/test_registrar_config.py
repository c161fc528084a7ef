"""The registrar's side of the generated Kamailio configuration: every variant passes
`kamailio -c`, the `[proxy]` settings that shape it, and when it is on at all (the
directory is declared in dialplan.toml or has extensions). What it does to traffic:
test_registrar.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.config import ServeConfigError
from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from dialplan.proxy.edge import with_registrar
from dialplan.proxy.kamailio import ProxySettings, config, write_files
from dialplan.proxy.options import ProxyOptions, load_proxy_options
from dialplan.proxy.registrar import RegistrarSettings
from dialplan.proxy.tls import with_certificate

SQLITE = "sqlite:///srv/pbx/var/dialplan.db"
POSTGRES = "postgres://pbx:s3cret@127.0.0.1:5432/pbx"


def checked(settings: ProxySettings, folder: Path) -> str:
    """The configuration written for `settings`, after `kamailio -c` accepted it."""
    path = write_files(with_certificate(settings, folder), folder)
    result = subprocess.run(["kamailio", "-c", "-f", str(path)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return path.read_text()


@pytest.mark.parametrize("registrar", [
    RegistrarSettings(SQLITE),
    RegistrarSettings(POSTGRES, "pbx.example", ("203.0.113.0/24", "198.51.100.7"),
                      ("pbx.example", "sip.pbx.example"), auth_failures=3),
], ids=["sqlite", "postgres-trunks-domains"])
@pytest.mark.parametrize("extras", [{}, {"control": "unix:/tmp/k.ctl", "tls_port": 5071,
                                         "flood_limit": 0}], ids=["plain", "tls-control"])
def test_kamailio_accepts_every_registrar_variant(
        tmp_path: Path, registrar: RegistrarSettings, extras: dict[str, object]) -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061", "127.0.0.1:5062"),
                             tmp_path / "dispatcher.list", registrar=registrar,
                             **extras)  # type: ignore[arg-type]
    text = checked(settings, tmp_path)
    assert f'loadmodule "{registrar.db_module}.so"' in text
    assert f'modparam("usrloc", "db_url", "{registrar.db_url}")' in text
    assert 'modparam("auth_db", "password_column", "ha1")' in text  # never a plain one
    assert "{" + "{" not in text and "{%" not in text


def test_the_trunks_and_domains_are_written_where_the_edge_checks_them(
        tmp_path: Path) -> None:
    registrar = RegistrarSettings(POSTGRES, trunk_sources=("198.51.100.7",),
                                  domains=("pbx.example",))
    text = config(ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list",
                                registrar=registrar))
    assert 'is_in_subnet("$si", "198.51.100.7/32")' in text
    assert '$rd != "pbx.example"' in text
    assert 'modparam("db_sqlite"' not in text


def test_requests_wait_for_a_cached_location_to_load_and_postgresql_has_no_cache(
        tmp_path: Path) -> None:
    """SQLite: usrloc caches `location`, loaded by the first SIP worker while the others
    already take requests; until then they are dropped (a 480 for a registered phone
    would be a lie) and OPTIONS says 503. PostgreSQL: the table only, nothing to load."""
    cached = config(ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list",
                                  registrar=RegistrarSettings(SQLITE)))
    assert 'modparam("usrloc", "db_mode", 2)' in cached
    request = cached[cached.index("request_route {"):]
    assert request.index("$shv(location_loaded) != 1") < request.index("route(BANNED)")
    assert "event_route[core:worker-one-init] {\n    $shv(location_loaded) = 1;" in cached
    table = config(ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list",
                                 registrar=RegistrarSettings(POSTGRES)))
    assert 'modparam("usrloc", "db_mode", 3)' in table and "location_loaded" not in table


def test_without_a_registrar_the_proxy_serves_no_register(tmp_path: Path) -> None:
    text = config(ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list"))
    assert "auth_db" not in text and "usrloc" not in text and "route(IDENTITY)" not in text
    assert "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\\r\\n" in text


@pytest.mark.parametrize("bad", [
    {"db_url": "mysql://x/y"}, {"db_url": 'sqlite:///a"b'}, {"realm": 'a"; exit; "'},
    {"domains": ("bad domain",)}, {"trunk_sources": ("10.0.0.0/33",)},
    {"auth_failures": 0}, {"ban_seconds": 0},
])
def test_a_bad_registrar_setting_is_refused(bad: dict[str, object]) -> None:
    values: dict[str, object] = {"db_url": SQLITE, **bad}
    with pytest.raises(ValueError):
        RegistrarSettings(**values)  # type: ignore[arg-type]


def test_the_proxy_table_sets_the_ban_trunks_and_domains(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[proxy]\nauth_failures = 3\nfailure_window = 30\nban_seconds = 900\n'
                    'trunk_sources = ["203.0.113.0/24", "198.51.100.7"]\n'
                    'domains = ["pbx.example"]\n')
    options = load_proxy_options(path)
    registrar = options.registrar_settings(SQLITE, "pbx.example")
    assert registrar == RegistrarSettings(SQLITE, "pbx.example",
                                          ("203.0.113.0/24", "198.51.100.7/32"),
                                          ("pbx.example",), 3, 30, 900)


@pytest.mark.parametrize("table", ['trunk_sources = ["example.com"]', "auth_failures = 0",
                                   'domains = ["a b"]', "trunk_sources = \"10.0.0.1\""])
def test_a_bad_registrar_table_entry_is_refused_with_its_name(
        tmp_path: Path, table: str) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text(f"[proxy]\n{table}\n")
    with pytest.raises(ServeConfigError, match=r"\[proxy\]"):
        load_proxy_options(path)


def test_no_directory_means_no_registrar_and_no_database_made(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[serve]\n")
    assert with_registrar(ProxyOptions(), path).registrar is None
    assert not (tmp_path / "var").exists()


def test_the_registrar_is_on_when_the_directory_has_extensions(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[proxy]\nban_seconds = 60\n")  # no [directory]: the default file
    url = sqlite_url(tmp_path / "var" / "dialplan.db")
    upgrade(url)
    assert with_registrar(load_proxy_options(path), path).registrar is None
    directory = open_directory(url)
    directory.add(Extension("201"), "a-long-password")
    directory.close()
    registrar = with_registrar(load_proxy_options(path), path).registrar
    assert registrar is not None and registrar.realm == "dialplan"
    assert registrar.db_url == f"sqlite://{tmp_path.resolve()}/var/dialplan.db"
    assert registrar.ban_seconds == 60


def test_a_declared_directory_is_registered_to_before_its_first_extension(
        tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[directory]\nrealm = "pbx.example"\n')
    upgrade(sqlite_url(tmp_path / "var" / "dialplan.db"))
    registrar = with_registrar(load_proxy_options(path), path).registrar
    assert registrar is not None and registrar.realm == "pbx.example"


def test_dialplan_proxy_writes_a_registrar_for_a_directory_with_extensions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[directory]\n")
    url = sqlite_url(tmp_path / "var" / "dialplan.db")
    upgrade(url)
    directory = open_directory(url)
    directory.add(Extension("201"), "a-long-password")
    directory.close()
    assert main(["proxy", "--to", "127.0.0.2:6001", "--config", str(path),
                 "--write", str(tmp_path / "out")]) == 0
    assert "wrote" in capsys.readouterr().out
    text = (tmp_path / "out" / "kamailio.cfg").read_text()
    assert "route(REGISTRAR)" in text and "var/dialplan.db" in text


def test_dialplan_proxy_refuses_a_directory_it_cannot_read_without_showing_its_password(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[directory]\nurl = "postgresql://pbx:hunter2secret@127.0.0.1:1/pbx"\n')
    assert main(["proxy", "--to", "127.0.0.2:6001", "--config", str(path),
                 "--write", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "directory" in error and "hunter2secret" not in error
    assert not (tmp_path / "out").exists()
