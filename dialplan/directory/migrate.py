"""`upgrade(url)`: the directory's schema brought to the newest migration with Alembic
(the scripts ship in dialplan/directory/migrations/versions). Run by `dialplan db
upgrade`, and at the start of `serve` and `users`; upgrading an up-to-date database
changes nothing. Two starts at once do not race: on PostgreSQL the upgrade holds an
advisory lock, on SQLite a write transaction (BEGIN IMMEDIATE), for its whole run.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .database import make_engine

SCRIPTS = "dialplan.directory:migrations"
LOCK_KEY = 0x6469616C706C616E  # "dialplan": the advisory lock two upgrades share


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest migration this version of the package ships."""
    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert found is not None
    return found


def current(engine: sa.Engine) -> str | None:
    """The migration the database is at (None: never upgraded)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_engine(engine: sa.Engine) -> None:
    options = {"sqlite_begin": "IMMEDIATE"} if engine.dialect.name == "sqlite" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema (made if empty)."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    finally:
        engine.dispose()
