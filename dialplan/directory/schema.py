"""The directory's tables, as SQLAlchemy Core metadata: ours (`extensions`) and
Kamailio's (`location`, `version`, and `subscriber`, a view over ours).

Why Kamailio's own layout: Kamailio authenticates (auth_db) and locates phones
(usrloc) straight from this database, so nothing is copied or kept in step. The
`location` columns are usrloc's table version 9 exactly as Kamailio 5.6 ships them
(/usr/share/kamailio/{db_sqlite,postgres}/usrloc-create.sql); `subscriber` is auth_db's
version 7 layout (id, username, domain, password, ha1, ha1b), made a VIEW over the
enabled extensions: a disabled or removed extension cannot authenticate, and the plain
password column is always empty (only HA1 and HA1B are stored). The view also carries
display_name, max_contacts and caller_id, for auth_db's `load_credentials`.

Mailboxes and contact-centre agents, added later, refer to an extension by `number`.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

NUMBER_LENGTH = 64  # Kamailio's subscriber.username and location.username are 64 wide

extensions = sa.Table(
    "extensions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.String(NUMBER_LENGTH), nullable=False, unique=True),
    sa.Column("display_name", sa.String(128), nullable=False, server_default=""),
    sa.Column("realm", sa.String(64), nullable=False),  # the realm the HA1s were made for
    sa.Column("ha1", sa.String(128), nullable=False),
    sa.Column("ha1b", sa.String(128), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("max_contacts", sa.Integer, nullable=False, server_default="1"),
    sa.Column("caller_id", sa.String(32), nullable=True),  # outbound caller ID
    sa.Column("voicemail", sa.String(NUMBER_LENGTH), nullable=True),  # its mailbox
)

# auth_db's view of `extensions` (read only; the migration makes it).
subscriber = sa.table(
    "subscriber", sa.column("id", sa.Integer), sa.column("username", sa.String),
    sa.column("domain", sa.String), sa.column("password", sa.String),
    sa.column("ha1", sa.String), sa.column("ha1b", sa.String))

version = sa.Table(
    "version", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("table_name", sa.String(32), nullable=False),
    sa.Column("table_version", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("table_name", name="version_table_name_idx"),
)

def _text(name: str, length: int, default: str | None = "") -> sa.Column[str]:
    if default is None:
        return sa.Column(name, sa.String(length), nullable=True)
    return sa.Column(name, sa.String(length), nullable=False, server_default=default)


def _number(name: str, default: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, nullable=False, server_default=sa.text(default))


location = sa.Table(
    "location", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _text("ruid", 64), _text("username", 64), _text("domain", 64, None),
    _text("contact", 512), _text("received", 128, None), _text("path", 512, None),
    sa.Column("expires", sa.TIMESTAMP, nullable=False,
              server_default=sa.text("'2030-05-28 21:32:15'")),
    sa.Column("q", sa.REAL, nullable=False, server_default=sa.text("1.0")),
    _text("callid", 255, "Default-Call-ID"), _number("cseq", "1"),
    sa.Column("last_modified", sa.TIMESTAMP, nullable=False,
              server_default=sa.text("'2000-01-01 00:00:01'")),
    _number("flags", "0"), _number("cflags", "0"), _text("user_agent", 255),
    _text("socket", 64, None), sa.Column("methods", sa.Integer, nullable=True),
    _text("instance", 255, None), _number("reg_id", "0"), _number("server_id", "0"),
    _number("connection_id", "0"), _number("keepalive", "0"), _number("partition", "0"),
    sa.UniqueConstraint("ruid", name="location_ruid_idx"),
    sa.Index("location_account_contact_idx", "username", "domain", "contact"),
    sa.Index("location_expires_idx", "expires"),
    sa.Index("location_tcpcon_idx", "connection_id"),
    sa.Index("location_connection_idx", "server_id", "connection_id"),
)

location_attrs = sa.Table(
    "location_attrs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _text("ruid", 64), _text("username", 64), _text("domain", 64, None),
    _text("aname", 64), _number("atype", "0"), _text("avalue", 512),
    sa.Column("last_modified", sa.TIMESTAMP, nullable=False,
              server_default=sa.text("'2000-01-01 00:00:01'")),
    sa.Index("location_attrs_account_record_idx", "username", "domain", "ruid"),
    sa.Index("location_attrs_last_modified_idx", "last_modified"),
)
