"""`Directory`: the extensions in the database, read and changed with SQLAlchemy Core.

Nothing is cached: every `get` reads the row, so a change made by `dialplan users`, the
admin API or another host is what the next call sees. Each method is one short
transaction; the class holds only its engine and the realm, and is safe to share
between threads (not across fork: each process opens its own).
"""

from __future__ import annotations

import dataclasses
import hmac
from typing import Any

import sqlalchemy as sa

from . import digest
from .extension import FIELDS, Extension
from .schema import extensions

_PUBLIC = [extensions.c[name] for name in Extension.__dataclass_fields__]


class DirectoryError(Exception):
    """A change the directory refuses: the message says why, for the user."""


class ExtensionExists(DirectoryError):
    pass


class NoSuchExtension(DirectoryError):
    pass


def _extension(row: sa.Row[Any]) -> Extension:
    return Extension(**row._asdict())


class Directory:
    """The extensions in one database; HA1s are made for `realm`."""

    def __init__(self, engine: sa.Engine, realm: str) -> None:
        self.engine, self.realm = engine, realm

    def _credentials(self, number: str, password: str) -> dict[str, str]:
        digest.check_password(password)
        return {"realm": self.realm, "ha1": digest.ha1(number, self.realm, password),
                "ha1b": digest.ha1b(number, self.realm, password)}

    def add(self, extension: Extension, password: str) -> Extension:
        values = dataclasses.asdict(extension) | self._credentials(extension.number,
                                                                   password)
        try:
            with self.engine.begin() as connection:
                connection.execute(extensions.insert().values(values))
        except sa.exc.IntegrityError as error:
            raise ExtensionExists(f"extension {extension.number} exists") from error
        return extension

    def get(self, number: str) -> Extension | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(*_PUBLIC).where(
                extensions.c.number == number)).first()
        return None if row is None else _extension(row)

    def list(self) -> list[Extension]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(*_PUBLIC).order_by(extensions.c.number))
            return [_extension(row) for row in rows]

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(extensions.c.id).limit(1)).first() is None

    def set(self, number: str, password: str | None = None, **changes: Any) -> Extension:
        """Change the given fields (and the password, if given) of an extension."""
        unknown = set(changes) - FIELDS
        if unknown:
            raise DirectoryError(f"no such field: {', '.join(sorted(unknown))}")
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(*_PUBLIC).where(
                extensions.c.number == number)).first()
            if row is None:
                raise NoSuchExtension(f"no extension {number}")
            changed = dataclasses.replace(_extension(row), **changes)  # checks the values
            values = {name: getattr(changed, name) for name in changes}
            if password is not None:
                values |= self._credentials(number, password)
            if values:
                connection.execute(extensions.update().where(
                    extensions.c.number == number).values(values))
        return changed

    def remove(self, number: str) -> None:
        with self.engine.begin() as connection:
            gone = connection.execute(extensions.delete().where(
                extensions.c.number == number)).rowcount
        if not gone:
            raise NoSuchExtension(f"no extension {number}")

    def password_matches(self, number: str, password: str) -> bool:
        """Whether `password` is the extension's (as a phone's digest answer would be)."""
        with self.engine.connect() as connection:
            stored = connection.execute(sa.select(extensions.c.ha1).where(
                extensions.c.number == number)).scalar()
        return stored is not None and hmac.compare_digest(
            stored, digest.ha1(number, self.realm, password))

    def close(self) -> None:
        self.engine.dispose()
