"""The one way a TOML table is read (dialplan/config.py `read_table`), for `[serve]` and
`[proxy]` alike: every refusal names the file, the table and the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.config import ServeConfigError, load_serve_config
from dialplan.proxy.options import load_proxy_options


@pytest.mark.parametrize(("text", "message"), [
    ('[serve]\ntimezone = "Mars/Base"\n', r"\[serve\] timezone is not a known timezone"),
    ("[serve]\ncolour = 1\n", r"unknown \[serve\] setting `colour`"),
    ('[serve]\ntrusted_sources = ["x"]\n', r"\[serve\] trusted_sources must hold addresses"),
    ("[serve]\nmedia_ports = [1]\n", r"\[serve\] media_ports must be \[LOW, HIGH\]"),
    ("serve = 1\n", r"`serve` must be a table"),
    ('[serve]\nallowed_urls = ["api.example.com"]\n', r"\[serve\] allowed_urls entry"),
])
def test_a_bad_serve_setting_is_refused_naming_file_table_and_setting(
        tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text(text)
    with pytest.raises(ServeConfigError, match=message) as raised:
        load_serve_config(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_toml_syntax_error_names_its_line_for_either_table(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[serve]\nsip_port = 5060\nbind = \n")
    for load in (load_serve_config, load_proxy_options):
        with pytest.raises(ServeConfigError, match=r"line 3"):
            load(path)


def test_both_tables_are_read_from_one_file_with_paths_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nsip_port = 5070\nrecordings = "rec"\n'
                    '[proxy]\nflood_limit = 5\ntls_certificate = "c.pem"\n'
                    'tls_private_key = "k.pem"\n')
    serve, proxy = load_serve_config(path), load_proxy_options(path)
    assert (serve.sip_port, serve.recordings) == (5070, tmp_path / "rec")
    assert (proxy.flood_limit, proxy.tls_certificate) == (5, tmp_path / "c.pem")


def test_folders_not_given_lie_beside_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nrecordings = "rec"\n')
    serve = load_serve_config(path)
    assert serve.prompt_cache == tmp_path / "var" / "prompt-cache"
    assert serve.prompt_dirs == (tmp_path / "prompts",)
    assert (serve.recordings, serve.admin_tokens) == (tmp_path / "rec", tmp_path / "var/admin")


def test_without_a_config_the_folders_lie_beside_the_plans_not_the_current_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans, elsewhere = tmp_path / "plans", tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    serve = load_serve_config(None, plans)
    assert serve.prompt_cache == plans / "var" / "prompt-cache"
    assert serve.prompt_dirs == (plans / "prompts",)
    assert serve.recordings == plans / "var" / "recordings"
