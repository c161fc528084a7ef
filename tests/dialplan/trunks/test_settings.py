"""`[trunks.NAME]` of dialplan.toml: defaults, refusals naming the file, table and
setting, and a password read only from the environment or a private file."""

import os
from pathlib import Path

import pytest

from dialplan.config import ServeConfigError, load_serve_config
from dialplan.proxy.options import load_proxy_options
from dialplan.trunks.settings import Trunk, TrunkError


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dialplan.toml"
    path.write_text(text)
    return path


def test_a_trunk_with_only_a_proxy_and_user_takes_the_documented_defaults(tmp_path: Path
                                                                          ) -> None:
    path = _config(tmp_path, '[trunks.carrier]\nproxy = "sip.carrier.example:5070"\n'
                             'username = "4930123"\n')
    (trunk,) = load_serve_config(path).trunks
    assert trunk.registrar_address == "sip.carrier.example:5070"
    assert trunk.caller == "sip:4930123@sip.carrier.example"
    assert trunk.register and trunk.expires == 600 and trunk.sources == ()
    assert trunk.allow == ("_0Z.", "_ZX.") and "_09." in trunk.deny


@pytest.mark.parametrize(("table", "named"), [
    ('proxy = "a b"', "[trunks.carrier] proxy must be host or host:port"),
    ('proxy = "p"\nregister = false\nexpires = 5', "[trunks.carrier] expires"),
    ('proxy = "p"\nregister = false\nsources = ["not-a-net"]', "[trunks.carrier] sources"),
    ('proxy = "p"\nregister = false\nallow = ["_0[9"]', "[trunks.carrier] allow"),
    ('proxy = "p"\nregister = false\ncolour = "red"', "unknown setting `colour`"),
    ('username = "u"', "needs a proxy"),
    ('proxy = "p"', "register needs a username"),
    ('proxy = "p"\nusername = "u"\npassword_env = "A"\npassword_file = "f"', "not both"),
    ('proxy = "p"\nusername = "u;x=1"', "[trunks.carrier] username"),
    ('proxy = "p"\nregister = false\nfailover = "q"', "failover must be a list"),
    ('proxy = "p"\nregister = false\nfailover = ["q;lr"]', "failover must be a list"),
    ('proxy = "p"\nregister = false\nfailover = []', "failover must be a list"),
])
def test_a_setting_that_cannot_be_used_is_refused_with_file_table_and_setting(
        tmp_path: Path, table: str, named: str) -> None:
    path = _config(tmp_path, f"[trunks.carrier]\n{table}\n")
    with pytest.raises(ServeConfigError) as raised:
        load_serve_config(path)
    assert str(path) in str(raised.value) and named in str(raised.value)


def test_a_trunk_name_is_a_plain_word(tmp_path: Path) -> None:
    path = _config(tmp_path, '[trunks."evil\\"name"]\nproxy = "p"\nregister = false\n')
    with pytest.raises(ServeConfigError, match="a trunk's name"):
        load_serve_config(path)


def test_the_password_comes_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUNK_TEST_PASSWORD", "s3cret-Pass")
    trunk = Trunk("carrier", "p", "u", password_env="TRUNK_TEST_PASSWORD")
    assert trunk.password() == "s3cret-Pass"
    monkeypatch.delenv("TRUNK_TEST_PASSWORD")
    with pytest.raises(TrunkError, match="not set"):
        trunk.password()


def test_a_password_file_others_may_read_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "carrier.pass"
    secret.write_text("s3cret-Pass\n")
    os.chmod(secret, 0o644)
    trunk = Trunk("carrier", "p", "u", password_file=secret)
    with pytest.raises(TrunkError, match="chmod 600"):
        trunk.password()
    os.chmod(secret, 0o600)
    assert trunk.password() == "s3cret-Pass"


@pytest.mark.parametrize("password", ['a"b', "a:b", "a\\b", "a\nb", "   "])
def test_a_password_that_would_break_the_edge_configuration_is_refused(
        monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    monkeypatch.setenv("TRUNK_TEST_PASSWORD", password)
    with pytest.raises(TrunkError, match="password"):
        Trunk("carrier", "p", "u", password_env="TRUNK_TEST_PASSWORD").password()


def test_a_trunk_without_its_password_is_out_of_service_and_the_edge_still_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("TRUNK_TEST_PASSWORD", raising=False)
    path = _config(tmp_path, '[trunks.carrier]\nproxy = "p"\nusername = "u"\n'
                             'password_env = "TRUNK_TEST_PASSWORD"\n'
                             '[trunks.backup]\nproxy = "p2"\nusername = "u"\n'
                             'password_file = "backup.pass"\n')
    carrier, backup = load_proxy_options(path).trunks
    assert "password_env names TRUNK_TEST_PASSWORD, which is not set" in \
        carrier.out_of_service
    assert "backup.pass does not exist" in backup.out_of_service
    assert "trunk carrier is out of service" in caplog.text
    monkeypatch.setenv("TRUNK_TEST_PASSWORD", "s3cret-Pass")
    (tmp_path / "backup.pass").write_text("s3cret-Pass2\n")
    (tmp_path / "backup.pass").chmod(0o600)
    carrier, backup = load_proxy_options(path).trunks
    assert carrier.password == "s3cret-Pass" and "s3cret" not in repr(carrier)
    assert not carrier.out_of_service and backup.password == "s3cret-Pass2"


def test_a_password_there_but_unusable_stops_the_start_naming_file_and_trunk(
        tmp_path: Path) -> None:
    path = _config(tmp_path, '[trunks.carrier]\nproxy = "p"\nusername = "u"\n'
                             'password_file = "carrier.pass"\n')
    (tmp_path / "carrier.pass").write_text("s3cret-Pass\n")
    (tmp_path / "carrier.pass").chmod(0o644)
    with pytest.raises(ValueError) as raised:
        load_proxy_options(path)
    assert str(path) in str(raised.value)
    assert "[trunks.carrier] password_file" in str(raised.value)
    assert "chmod 600" in str(raised.value)
