"""Where lint finds the allowed URLs: `[lint] allowed_urls`, else `[serve] allowed_urls`."""

from __future__ import annotations

from pathlib import Path

from dialplan.lint.config import load_config


def test_lint_reads_the_serve_tables_allowed_urls(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[serve]\nallowed_urls = ["https://api.example.com/v1/"]\n')
    assert load_config(path).allowed_urls == ["https://api.example.com/v1/"]


def test_the_lint_table_takes_precedence(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.toml"
    path.write_text('[lint]\nallowed_urls = ["http://127.0.0.1:*/"]\n'
                    '[serve]\nallowed_urls = ["https://api.example.com/v1/"]\n')
    assert load_config(path).allowed_urls == ["http://127.0.0.1:*/"]
