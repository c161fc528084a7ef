"""Alembic's entry point: migrations run on the connection `migrate.upgrade` hands over
(in its transaction and lock), never on a URL read from an alembic.ini."""

from __future__ import annotations

from alembic import context

from dialplan.directory.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through dialplan.directory.upgrade (or `dialplan "
                       "db upgrade`), which hands over a connection")
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
