"""The directory of extensions, and Kamailio's tables over the same database.

`location` and `location_attrs` are usrloc's (versions 9 and 1), column for column as
Kamailio 5.6 creates them; `subscriber` is auth_db's layout (version 7) as a view over
the enabled extensions; `version` holds the rows Kamailio checks at start-up.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

VERSIONS = {"version": 1, "subscriber": 7, "location": 9, "location_attrs": 1}
SUBSCRIBER = """
CREATE VIEW subscriber AS
SELECT id, number AS username, realm AS domain, '' AS password, ha1, ha1b,
       display_name, max_contacts, caller_id
FROM extensions WHERE enabled
"""


def _text(name: str, length: int, default: str | None = "") -> sa.Column[str]:
    if default is None:
        return sa.Column(name, sa.String(length), nullable=True)
    return sa.Column(name, sa.String(length), nullable=False, server_default=default)


def _number(name: str, default: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, nullable=False, server_default=sa.text(default))


def _stamp(name: str, default: str) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.TIMESTAMP, nullable=False, server_default=sa.text(f"'{default}'"))


def _extensions() -> None:
    op.create_table(
        "extensions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(128), nullable=False, server_default=""),
        sa.Column("realm", sa.String(64), nullable=False),
        sa.Column("ha1", sa.String(128), nullable=False),
        sa.Column("ha1b", sa.String(128), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("max_contacts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("caller_id", sa.String(32), nullable=True),
        sa.Column("voicemail", sa.String(64), nullable=True))
    op.execute(SUBSCRIBER)


def _location() -> None:
    op.create_table(
        "location",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("ruid", 64), _text("username", 64), _text("domain", 64, None),
        _text("contact", 512), _text("received", 128, None), _text("path", 512, None),
        _stamp("expires", "2030-05-28 21:32:15"),
        sa.Column("q", sa.REAL, nullable=False, server_default=sa.text("1.0")),
        _text("callid", 255, "Default-Call-ID"), _number("cseq", "1"),
        _stamp("last_modified", "2000-01-01 00:00:01"),
        _number("flags", "0"), _number("cflags", "0"), _text("user_agent", 255),
        _text("socket", 64, None), sa.Column("methods", sa.Integer, nullable=True),
        _text("instance", 255, None), _number("reg_id", "0"), _number("server_id", "0"),
        _number("connection_id", "0"), _number("keepalive", "0"),
        _number("partition", "0"),
        sa.UniqueConstraint("ruid", name="location_ruid_idx"))
    op.create_index("location_account_contact_idx", "location",
                    ["username", "domain", "contact"])
    op.create_index("location_expires_idx", "location", ["expires"])
    op.create_index("location_tcpcon_idx", "location", ["connection_id"])
    op.create_index("location_connection_idx", "location", ["server_id", "connection_id"])
    op.create_table(
        "location_attrs",
        sa.Column("id", sa.Integer, primary_key=True),
        _text("ruid", 64), _text("username", 64), _text("domain", 64, None),
        _text("aname", 64), _number("atype", "0"), _text("avalue", 512),
        _stamp("last_modified", "2000-01-01 00:00:01"))
    op.create_index("location_attrs_account_record_idx", "location_attrs",
                    ["username", "domain", "ruid"])
    op.create_index("location_attrs_last_modified_idx", "location_attrs", ["last_modified"])


def _version() -> None:
    table = op.create_table(
        "version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("table_version", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("table_name", name="version_table_name_idx"))
    op.bulk_insert(table, [{"table_name": name, "table_version": number}
                           for name, number in VERSIONS.items()])


def upgrade() -> None:
    _extensions()
    _location()
    _version()


def downgrade() -> None:
    op.execute("DROP VIEW subscriber")
    for table in ("version", "location_attrs", "location", "extensions"):
        op.drop_table(table)
