"""The directory of extensions: who may register, with which credentials, and how they
are reached. One SQLite file by default, PostgreSQL when several hosts share it; the
schema is kept by Alembic migrations, and Kamailio authenticates and locates phones
straight from the same database (schema.py).

    upgrade(url)                              # the schema made or brought up to date
    directory = open_directory(url, realm)
    directory.add(Extension("201", "Reception"), password)
    kamailio_db_url(url)                      # the same database, as Kamailio names it
"""

from __future__ import annotations

from .config import DirectoryConfig, load_directory_config
from .database import DatabaseUrlError, is_sqlite, kamailio_db_url, make_engine
from .extension import Extension
from .migrate import upgrade
from .store import Directory, DirectoryError, ExtensionExists, NoSuchExtension


def open_directory(url: str, realm: str = "dialplan") -> Directory:
    """The directory at `url` (run `upgrade` first: this does not change the schema)."""
    return Directory(make_engine(url), realm)


def open_configured(config: DirectoryConfig, migrate: bool = True) -> Directory:
    """The configured directory, its schema brought up to date first unless told not."""
    if migrate:
        upgrade(config.url)
    return open_directory(config.url, config.realm)


__all__ = [
    "DatabaseUrlError", "Directory", "DirectoryConfig", "DirectoryError", "Extension",
    "ExtensionExists", "NoSuchExtension", "is_sqlite", "kamailio_db_url",
    "load_directory_config", "open_configured", "open_directory", "upgrade"]
