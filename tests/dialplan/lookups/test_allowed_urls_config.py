"""`[serve] allowed_urls`: read and checked with the rest of the table; unset, nothing."""

from __future__ import annotations

from pathlib import Path

from dialplan.config import load_serve_config


def test_allowed_urls_are_read_from_the_serve_table(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nallowed_urls = ["https://api.example.com/v1/", '
                    '"http://127.0.0.1:*/"]\n')
    assert load_serve_config(path).allowed_urls == ("https://api.example.com/v1/",
                                                    "http://127.0.0.1:*/")


def test_unset_allowed_urls_allow_nothing(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text("[serve]\n")
    assert load_serve_config(path).allowed_urls == ()
