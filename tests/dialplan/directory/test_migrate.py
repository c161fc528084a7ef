"""Migrations on both backends: an empty database gets the whole schema, a second
upgrade changes nothing, and the schema is what the metadata and Kamailio expect."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dialplan.directory import Extension, make_engine, open_directory, upgrade
from dialplan.directory.migrate import current, head
from dialplan.directory.schema import metadata

# usrloc-create.sql of Kamailio 5.6, column for column (table version 9)
LOCATION_COLUMNS = [
    "id", "ruid", "username", "domain", "contact", "received", "path", "expires", "q",
    "callid", "cseq", "last_modified", "flags", "cflags", "user_agent", "socket", "methods",
    "instance", "reg_id", "server_id", "connection_id", "keepalive", "partition"]


def test_upgrade_makes_every_table_of_an_empty_database(directory_url: str) -> None:
    upgrade(directory_url)
    engine = make_engine(directory_url)
    try:
        inspector = sa.inspect(engine)
        assert {"extensions", "location", "location_attrs", "version"} <= set(
            inspector.get_table_names())
        assert "subscriber" in inspector.get_view_names()
        assert [c["name"] for c in inspector.get_columns("location")] == LOCATION_COLUMNS
        assert current(engine) == head()
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_metadata_the_store_uses(directory_url: str) -> None:
    upgrade(directory_url)
    engine = make_engine(directory_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_a_second_upgrade_changes_nothing_and_keeps_the_rows(directory_url: str) -> None:
    upgrade(directory_url)
    directory = open_directory(directory_url)
    try:
        directory.add(Extension("201"), "a-long-secret")
        upgrade(directory_url)
        assert [e.number for e in directory.list()] == ["201"]
    finally:
        directory.close()


def test_kamailio_finds_the_table_versions_it_checks(directory_url: str) -> None:
    upgrade(directory_url)
    upgrade(directory_url)
    engine = make_engine(directory_url)
    try:
        with engine.connect() as connection:
            rows = dict(connection.execute(sa.text(
                "SELECT table_name, table_version FROM version")).all())
    finally:
        engine.dispose()
    assert rows == {"version": 1, "subscriber": 7, "location": 9, "location_attrs": 1}
