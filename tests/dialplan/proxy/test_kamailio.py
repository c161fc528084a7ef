"""The generated Kamailio configuration, checked by Kamailio itself (`kamailio -c`), the
proxy's `[proxy]` settings, and the `dialplan proxy` command line that writes it for
operators. What the configuration does to real traffic: test_pool_attacks.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.config import ServeConfigError
from dialplan.proxy.kamailio import (
    ProxySettings,
    config,
    dispatcher_list,
    expand_destinations,
    write_files,
)
from dialplan.proxy.options import ProxyOptions, load_proxy_options
from dialplan.proxy.tls import with_certificate


def test_a_port_range_expands_to_one_destination_per_port() -> None:
    assert expand_destinations("127.0.0.2:5061-5063") == [
        "127.0.0.2:5061", "127.0.0.2:5062", "127.0.0.2:5063"]
    assert expand_destinations("10.0.0.9:5070") == ["10.0.0.9:5070"]


@pytest.mark.parametrize("spec", ["5061", "host:", "host:5063-5061", "host:0", "h:1-x"])
def test_a_malformed_destination_is_refused_with_the_spec_named(spec: str) -> None:
    with pytest.raises(ValueError, match=r"HOST:PORT|ports must rise"):
        expand_destinations(spec)


def test_destinations_on_several_hosts_go_into_one_set_with_the_4_call_cap() -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.2:5061", "127.0.0.3:5061"),
                             Path("/tmp/x.list"))
    assert dispatcher_list(settings).splitlines()[1:] == [
        "1 sip:127.0.0.2:5061 0 0 duid=p1;maxload=4",
        "1 sip:127.0.0.3:5061 0 0 duid=p2;maxload=4"]


def test_the_control_socket_is_only_opened_when_asked_for() -> None:
    plain = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), Path("/tmp/x.list"))
    assert "ctl" not in config(plain)
    controlled = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), Path("/tmp/x.list"),
                               control="unix:/tmp/k.ctl")
    assert 'modparam("ctl", "binrpc", "unix:/tmp/k.ctl")' in config(controlled)


def test_kamailio_accepts_the_generated_configuration(tmp_path: Path) -> None:
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.2:5061", "127.0.0.3:5062"),
                             tmp_path / "dispatcher.list", control=f"unix:{tmp_path}/k.ctl")
    path = write_files(settings, tmp_path)
    checked = subprocess.run(["kamailio", "-c", "-f", str(path)], capture_output=True,
                             text=True, timeout=30, check=False)
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_kamailio_accepts_the_configuration_without_flood_limit_or_control(
        tmp_path: Path) -> None:
    """The template's other branches: no pike, no ctl, one destination, no failover."""
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.2:5061",),
                             tmp_path / "dispatcher.list", flood_limit=0, failover=0)
    path = write_files(settings, tmp_path)
    text = path.read_text()
    assert "pike_check_req" not in text and 'modparam("pike"' not in text
    assert "ctl.so" not in text
    assert 'ds_select_dst("1", "10", "1")' in text and "{" + "{" not in text
    checked = subprocess.run(["kamailio", "-c", "-f", str(path)], capture_output=True,
                             text=True, timeout=30, check=False)
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_dialplan_proxy_writes_the_configuration_for_operators(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["proxy", "--listen", "127.0.0.1:5999", "--to", "127.0.0.2:6001-6002",
                 "--to", "127.0.0.3:6001", "--write", str(tmp_path)])
    assert code == 0
    assert "kamailio -DD -E -f" in capsys.readouterr().out
    assert (tmp_path / "dispatcher.list").read_text().count("maxload=4") == 3
    assert "listen=udp:127.0.0.1:5999" in (tmp_path / "kamailio.cfg").read_text()


def test_dialplan_proxy_refuses_a_bad_destination_with_exit_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proxy", "--to", "127.0.0.2"]) == 2
    assert "not HOST:PORT" in capsys.readouterr().err


def test_kamailio_accepts_the_configuration_with_tls_and_a_made_certificate(
        tmp_path: Path) -> None:
    settings = with_certificate(ProxySettings(
        "127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "dispatcher.list",
        tls_port=5070), tmp_path)
    assert settings.certificate is not None and settings.private_key is not None
    assert settings.private_key.stat().st_mode & 0o777 == 0o600
    path = write_files(settings, tmp_path)
    assert "listen=tls:127.0.0.1:5070" in path.read_text()
    checked = subprocess.run(["kamailio", "-c", "-f", str(path)], capture_output=True,
                             text=True, timeout=30, check=False)
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_each_configuration_gets_its_own_dialog_secret_and_keeps_it_private(
        tmp_path: Path) -> None:
    one = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list")
    two = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list")
    assert one.secret != two.secret and one.secret in config(one)
    assert write_files(one, tmp_path).stat().st_mode & 0o777 == 0o600


def test_the_proxy_table_sets_flood_limit_call_length_and_tls(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nsip_port = 5060\n[proxy]\nflood_limit = 50\n'
                    'max_call_seconds = 600\ntls_port = 5070\n'
                    'tls_certificate = "c.pem"\ntls_private_key = "k.pem"\n')
    options = load_proxy_options(path)
    assert options == ProxyOptions(50, 600, 5070, tmp_path / "c.pem", tmp_path / "k.pem")
    text = config(ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list",
                                **options.settings()))
    assert 'modparam("pike", "reqs_density_per_unit", 50)' in text
    assert 'modparam("dispatcher", "ds_hash_expire", 600)' in text


@pytest.mark.parametrize("table", ["flood_limit = -1", "tls_port = \"x\"", "colour = 1",
                                   'tls_certificate = "c.pem"', "max_call_seconds = 0"])
def test_a_bad_proxy_setting_is_refused_with_its_name(tmp_path: Path, table: str) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text(f"[proxy]\n{table}\n")
    with pytest.raises(ServeConfigError, match=r"\[proxy\]"):
        load_proxy_options(path)


def test_a_secret_file_keeps_the_dialog_secret_across_starts(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[proxy]\nsecret_file = "var/proxy.secret"\n')
    first, again = load_proxy_options(path), load_proxy_options(path)
    assert first.secret and first.secret == again.secret
    assert (tmp_path / "var/proxy.secret").stat().st_mode & 0o777 == 0o600
    settings = ProxySettings("127.0.0.1", 5060, (), tmp_path / "d.list", **first.settings())
    assert settings.secret == first.secret
    (tmp_path / "var/proxy.secret").write_text("short")
    with pytest.raises(ServeConfigError, match="secret_file"):
        load_proxy_options(path)
