"""The extension numbers lint checks `dial extension` and routes against: read from the
directory that dialplan.toml's `[directory]` names, read-only.

Why so careful: lint runs in editors (on every change, through the language server)
and in CI, where no database may be created or migrated as a side effect. So a missing
SQLite file, a database without the schema or one that does not answer within a few
seconds means "no directory": the rules that need it stay silent, as they do without a
configuration file. Only a malformed `[directory]` table is an error (a ConfigError).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ..config import ServeConfigError
from ..directory import DatabaseUrlError, is_sqlite, load_directory_config
from ..directory.schema import extensions

CONNECT_TIMEOUT = 3  # seconds a PostgreSQL directory gets to answer


class DirectoryConfigError(Exception):
    """A `[directory]` table lint cannot use (the message says why)."""


def _read_only_engine(url: str) -> sa.Engine | None:
    """An engine that cannot write, or None when there is no SQLite file to read."""
    parsed = make_url(url)
    if is_sqlite(url):
        path = Path(str(parsed.database))
        if not path.is_file():
            return None
        return sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true",
                                poolclass=sa.NullPool)
    options = "-c default_transaction_read_only=on"
    return sa.create_engine(parsed.set(drivername="postgresql+psycopg"),
                            poolclass=sa.NullPool,
                            connect_args={"connect_timeout": CONNECT_TIMEOUT,
                                          "options": options})


def read_numbers(url: str) -> frozenset[str] | None:
    """Every extension number in the directory at `url`, or None if it cannot be read."""
    engine = _read_only_engine(url)
    if engine is None:
        return None
    try:
        with engine.connect() as connection:
            return frozenset(connection.execute(sa.select(extensions.c.number)).scalars())
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def configured_numbers(config_path: Path | None) -> frozenset[str] | None:
    """The extensions of the directory `config_path` configures; None without one."""
    if config_path is None:
        return None
    try:
        url = load_directory_config(config_path).url
    except (ServeConfigError, DatabaseUrlError) as error:
        raise DirectoryConfigError(str(error)) from error
    return read_numbers(url)
