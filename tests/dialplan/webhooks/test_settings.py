"""The `[webhooks]` table: read beside `[serve]`, every refusal naming the file, the
table and the setting; the secret from an environment variable or a file, never in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.config import ServeConfigError, load_serve_config
from dialplan.webhooks.settings import EVENTS

SECRET = "0123456789abcdef0123"


def load(tmp_path: Path, table: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "dialplan.toml"
    path.write_text("[serve]\nsip_port = 5070\n[webhooks]\n" + table)
    return load_serve_config(path).webhooks


def test_urls_events_and_limits_are_read_with_the_secret_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET + "\n")
    hooks = load(tmp_path, 'urls = ["https://crm.example/hooks"]\nevents = ["ended"]\n'
                 'secret_env = "HOOK_SECRET"\ntimeout = 2\nmax_attempts = 3\n'
                 "backoff = 0.25\nqueue_size = 50\n")
    assert (hooks.urls, hooks.events, hooks.secret) == (
        ("https://crm.example/hooks",), frozenset({"ended"}), SECRET)
    assert (hooks.timeout, hooks.max_attempts, hooks.backoff, hooks.queue_size) == (
        2.0, 3, 0.25, 50)
    assert SECRET not in repr(hooks)


def test_the_secret_file_lies_beside_the_config_and_every_event_is_sent_by_default(
        tmp_path: Path) -> None:
    (tmp_path / "hook.secret").write_text(SECRET)
    (tmp_path / "hook.secret").chmod(0o600)
    hooks = load(tmp_path, 'urls = ["http://127.0.0.1:8000/x"]\nsecret_file = "hook.secret"\n')
    assert hooks.secret == SECRET and hooks.events == frozenset(EVENTS) and hooks.enabled


def test_without_the_table_nothing_is_sent(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[serve]\nsip_port = 5070\n")
    assert not load_serve_config(path).webhooks.enabled


@pytest.mark.parametrize(("table", "message"), [
    ('urls = ["ftp://x/y"]\nsecret_env = "HOOK_SECRET"\n', r"urls must hold http:// or https://"),
    ('urls = ["https://u:p@x/y"]\nsecret_env = "HOOK_SECRET"\n',
     r"urls must not carry credentials"),
    ('urls = "https://x/y"\n', r"urls must be a list of strings"),
    ('urls = ["https://x/y"]\n', r"urls need a secret"),
    ('events = ["started", "rung"]\n', r"events names unknown events \['rung'\]"),
    ('secret_env = "NOT_SET_ANYWHERE"\n', r"secret_env names the variable NOT_SET_ANYWHERE"),
    ('secret_env = "SHORT_SECRET"\n', r"secret_env .* fewer than 16 characters"),
    ('secret_file = "missing.secret"\n', r"secret_file cannot be read"),
    ("timeout = 0\n", r"timeout must be a positive number of seconds"),
    ("max_attempts = 0\n", r"max_attempts must be a whole number, 1 or more"),
    ("queue_size = 1.5\n", r"queue_size must be a whole number"),
    ("colour = 1\n", r"unknown \[webhooks\] setting `colour`"),
])
def test_a_bad_webhooks_setting_is_refused_naming_file_table_and_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, message: str) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    monkeypatch.setenv("SHORT_SECRET", "short")
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ServeConfigError, match=message) as raised:
        load(tmp_path, table)
    assert str(raised.value).startswith(f"{tmp_path / 'dialplan.toml'}: ")
    assert "[webhooks]" in str(raised.value)


def test_a_secret_file_others_may_read_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hook.secret").write_text(SECRET)
    (tmp_path / "hook.secret").chmod(0o644)
    with pytest.raises(ServeConfigError, match=r"secret_file .*may be read by others "
                                               r"\(mode 0644\): chmod 600 it"):
        load(tmp_path, 'secret_file = "hook.secret"\n')


def test_two_secrets_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    (tmp_path / "hook.secret").write_text(SECRET)
    (tmp_path / "hook.secret").chmod(0o600)
    with pytest.raises(ServeConfigError, match=r"\[webhooks\] takes secret_env or "
                                               r"secret_file, not both"):
        load(tmp_path, 'secret_env = "HOOK_SECRET"\nsecret_file = "hook.secret"\n')


def test_webhooks_is_a_table_of_its_own_not_a_serve_setting(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nwebhooks = ["https://x/y"]\n')
    with pytest.raises(ServeConfigError, match=r"unknown \[serve\] setting `webhooks`"):
        load_serve_config(path)
