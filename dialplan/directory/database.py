"""Where the directory lives: one SQLite file by default, PostgreSQL by URL, and the
same database named the way Kamailio's db modules want it.

    sqlite:////srv/pbx/var/dialplan.db       (the default: var/dialplan.db beside the config)
    postgresql://pbx:secret@db.example:5432/pbx    (several hosts share it)

SQLite runs in WAL mode (Kamailio writes `location` while the service reads) and with
transactions that really begin where SQLAlchemy begins them (the pysqlite driver's own
implicit transactions leave DDL outside any, so a migration could half happen). The
file is made mode 0600: it holds the HA1s. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

BUSY_TIMEOUT = 5.0  # seconds an SQLite writer waits for another (Kamailio, the CLI)
SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")


class DatabaseUrlError(ValueError):
    """A directory URL that is not SQLite or PostgreSQL, or is malformed."""


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def _parsed(url: str) -> sa.URL:
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as error:
        raise DatabaseUrlError(f"{url!r} is not a database URL") from error
    if parsed.drivername not in SCHEMES:
        raise DatabaseUrlError(f"{parsed.drivername}:// is not sqlite:/// or postgresql://")
    if parsed.drivername == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise DatabaseUrlError("sqlite:/// needs a file (an in-memory database is not "
                               "shared with Kamailio)")
    if parsed.drivername != "sqlite":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: str) -> bool:
    return _parsed(url).drivername == "sqlite"


def kamailio_db_url(url: str) -> str:
    """The same database as Kamailio's db_sqlite or db_postgres module names it."""
    parsed = _parsed(url)
    if parsed.drivername == "sqlite":
        return f"sqlite://{Path(str(parsed.database)).resolve()}"
    for part in (parsed.username, parsed.password, parsed.database):
        if part is not None and any(c in part for c in "@:/?#% "):
            raise DatabaseUrlError("Kamailio reads the database URL as it is: the user, "
                                   "password and database may not hold @ : / ? # % or spaces")
    credentials = parsed.username or ""
    if parsed.password is not None:
        credentials += f":{parsed.password}"
    at = f"{credentials}@" if credentials else ""
    port = f":{parsed.port}" if parsed.port else ""
    return f"postgres://{at}{parsed.host or 'localhost'}{port}/{parsed.database}"


def _private_file(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by this user only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(parsed: sa.URL) -> sa.Engine:
    _private_file(Path(str(parsed.database)))
    engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT,
                                                    "isolation_level": None})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _forget_after_fork(engine: sa.Engine) -> None:
    """A forked child (a pool's worker) must not use, or close, its parent's connections:
    it drops them from its copy of the pool and opens its own (SQLAlchemy's advice)."""
    held = weakref.ref(engine)

    def in_child() -> None:
        engine = held()
        if engine is not None:
            engine.dispose(close=False)

    os.register_at_fork(after_in_child=in_child)


def make_engine(url: str) -> sa.Engine:
    """An engine for the directory at `url` (the SQLite file made if missing)."""
    parsed = _parsed(url)
    engine = (_sqlite_engine(parsed) if parsed.drivername == "sqlite"
              else sa.create_engine(parsed, pool_pre_ping=True))
    _forget_after_fork(engine)
    return engine
