"""`dialplan users` and `dialplan db` on both backends: passwords only from stdin or
generated (printed once), list as text and JSON, refusals with exit 1, a broken
configuration with exit 2, and the same database `serve` would use."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.directory import Extension, open_directory


@pytest.fixture
def config(directory_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "dialplan.toml"
    path.write_text(f'[directory]\nurl = "{directory_url}"\nrealm = "pbx.example"\n')
    return path


def users(config: Path, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """Run `dialplan users ARGV --config CONFIG`: (exit code, stdout, stderr)."""
    with pytest.MonkeyPatch.context() as patch:
        out, err = io.StringIO(), io.StringIO()
        patch.setattr("sys.stdin", io.StringIO(stdin))
        patch.setattr("sys.stdout", out)
        patch.setattr("sys.stderr", err)
        code = main(["users", *argv, "--config", str(config)])
    return code, out.getvalue(), err.getvalue()


def test_add_with_a_password_from_stdin_stores_its_digest(
        config: Path, directory_url: str) -> None:
    code, out, _ = users(config, "add", "201", "--name", "Reception", "--caller-id",
                         "+4930123", "--voicemail", "201", "--max-contacts", "2",
                         "--password-stdin", stdin="correct horse\n")
    assert code == 0 and "correct horse" not in out
    directory = open_directory(directory_url, "pbx.example")
    try:
        assert directory.get("201") == Extension("201", "Reception", max_contacts=2,
                                                 caller_id="+4930123", voicemail="201")
        assert directory.password_matches("201", "correct horse")
    finally:
        directory.close()


def test_add_without_a_password_prints_a_generated_one_once(
        config: Path, directory_url: str) -> None:
    code, out, _ = users(config, "add", "201")
    password = out.split("password: ")[1].split()[0]
    assert code == 0 and len(password) == 20
    directory = open_directory(directory_url, "pbx.example")
    try:
        assert directory.password_matches("201", password)
    finally:
        directory.close()
    code, out, _ = users(config, "list", "--format", "json")
    assert password not in out


def test_list_shows_every_extension_as_text_and_json_without_digests(config: Path) -> None:
    users(config, "add", "202", "--name", "Sales")
    users(config, "add", "201", "--name", "Reception", "--disabled")
    code, text, _ = users(config, "list")
    assert code == 0
    rows = [line.split() for line in text.splitlines()]
    assert rows[1][:3] == ["201", "Reception", "no"] and rows[2][:3] == ["202", "Sales", "yes"]
    code, out, _ = users(config, "list", "--format", "json")
    listed = json.loads(out)
    assert [e["number"] for e in listed] == ["201", "202"]
    assert all(set(e) == {"number", "display_name", "enabled", "max_contacts",
                          "caller_id", "voicemail"} for e in listed)


def test_set_changes_fields_and_the_password(config: Path, directory_url: str) -> None:
    users(config, "add", "201", "--name", "Reception")
    assert users(config, "set", "201", "--disable", "--name", "Night desk")[0] == 0
    _, out, _ = users(config, "set", "201", "--generate-password")
    password = out.split("password: ")[1].split()[0]
    directory = open_directory(directory_url, "pbx.example")
    try:
        assert directory.get("201") == Extension("201", "Night desk", enabled=False)
        assert directory.password_matches("201", password)
    finally:
        directory.close()
    assert users(config, "set", "201", "--password-stdin", stdin="battery staple\n")[0] == 0


def test_remove_deletes_and_refusals_exit_1(config: Path) -> None:
    users(config, "add", "201")
    assert users(config, "add", "201")[0] == 1
    assert users(config, "add", "201@evil.example")[0] == 1
    assert users(config, "add", "202", "--password-stdin", stdin="short\n")[0] == 1
    code, out, _ = users(config, "remove", "201")
    assert code == 0 and "removed" in out
    code, _, err = users(config, "remove", "201")
    assert code == 1 and "no extension 201" in err


def test_the_password_cannot_be_given_on_the_command_line(config: Path) -> None:
    assert users(config, "add", "201", "--password", "correct horse")[0] == 2


def test_without_a_config_the_database_is_var_dialplan_db_beside_the_plans(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    assert main(["users", "add", "201", "--plans", str(plans)]) == 0
    assert (plans / "var" / "dialplan.db").stat().st_mode & 0o077 == 0  # holds HA1s
    assert main(["db", "upgrade", "--plans", str(plans)]) == 0
    assert "revision 0001" in capsys.readouterr().out


def test_the_first_extension_of_an_undeclared_directory_says_serve_needs_a_restart(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    assert main(["users", "add", "201", "--plans", str(plans)]) == 0
    assert "lets phones register only after a restart" in capsys.readouterr().err
    assert main(["users", "add", "202", "--plans", str(plans)]) == 0  # not the first
    assert "restart" not in capsys.readouterr().err


def test_a_declared_directory_needs_no_restart_note(config: Path) -> None:
    code, _, err = users(config, "add", "201")
    assert code == 0 and "restart" not in err


def test_a_bad_directory_setting_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "dialplan.toml"
    config.write_text('[directory]\nurl = "mysql://root@localhost/x"\n')
    assert users(config, "list")[0] == 2
    config.write_text('[directory]\nrealm = "bad realm"\n')
    assert users(config, "list")[0] == 2
    config.write_text('[directory]\nurl = "postgresql://u:p@127.0.0.1:1/none"\n')
    code, _, err = users(config, "list")
    assert code == 2 and "u:p@" not in err  # the password is not echoed


def test_list_warns_of_extensions_whose_digest_is_of_an_old_realm(config: Path) -> None:
    users(config, "add", "201")
    config.write_text(config.read_text().replace("pbx.example", "new.example"))
    code, out, err = users(config, "list")
    assert code == 0 and "201" in out
    assert "201: its digest is of another realm" in err
