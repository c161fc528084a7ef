"""Directory URLs: what is accepted, and the same database named for Kamailio."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.directory import DatabaseUrlError, kamailio_db_url, make_engine
from dialplan.directory.database import sqlite_url


def test_kamailio_gets_the_same_sqlite_file_and_postgresql_database(tmp_path: Path) -> None:
    assert kamailio_db_url(sqlite_url(tmp_path / "var" / "dialplan.db")) == \
        f"sqlite://{tmp_path.resolve()}/var/dialplan.db"
    assert kamailio_db_url("postgresql://pbx:s3cret@db.example:5433/pbx") == \
        "postgres://pbx:s3cret@db.example:5433/pbx"
    assert kamailio_db_url("postgresql+psycopg://pbx@10.0.0.5/pbx") == \
        "postgres://pbx@10.0.0.5/pbx"


def test_credentials_kamailio_would_misread_are_refused() -> None:
    with pytest.raises(DatabaseUrlError, match="Kamailio"):
        kamailio_db_url("postgresql://pbx:p%40ss@db.example/pbx")  # "p@ss"


@pytest.mark.parametrize("url", ["mysql://root@localhost/pbx", "sqlite://", "sqlite:///:memory:",
                                 "not a url",
                                 "oracle://x@y/z"])
def test_other_databases_are_refused(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        make_engine(url)


def test_the_sqlite_file_is_made_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "var" / "dialplan.db"
    engine = make_engine(sqlite_url(path))
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        engine.dispose()
    assert mode == "wal"
    assert path.stat().st_mode & 0o077 == 0
