"""Whether the proxy is also the PBX's registrar and edge: yes when dialplan.toml
declares a `[directory]` (even before it has extensions), or when the directory (default
var/dialplan.db) has extensions.

Decided when the proxy's configuration is made (the service's start, or `dialplan
proxy`). Declared, the first extension added while the service runs can register at
once (Kamailio reads the table on each request); undeclared, the service answers calls
without passwords until its next start after the first extension is added (`dialplan
users add` and `POST /users` say so). `dialplan serve` hands over the directory it
opened (and migrated) at start; `dialplan proxy` opens it here, and does not make one
that was never made (no SQLite file): a plain dispatcher does not grow a database.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dialplan.directory import (
    Directory,
    DirectoryConfig,
    is_sqlite,
    kamailio_db_url,
    load_directory_config,
    open_configured,
)

from .options import ProxyOptions

log = logging.getLogger("dialplan.proxy")


class DirectoryUnavailable(ValueError):
    """The directory is configured but cannot be read: better not to start than to
    start an edge that lets anyone in (or no one)."""


def registrar_options(options: ProxyOptions, config: DirectoryConfig,
                      directory: Directory) -> ProxyOptions:
    """`options` with registrar settings if `config` declares the directory or
    `directory` (opened from it) has extensions."""
    try:
        empty = directory.is_empty()
    except SQLAlchemyError as error:
        where = make_url(config.url).render_as_string(hide_password=True)
        raise DirectoryUnavailable(f"the directory at {where} cannot be read: "
                                   f"{error.__class__.__name__}: {error}") from error
    if empty and not config.declared:
        return options
    log.info("%s: Kamailio is their registrar (realm %s)", "the directory has extensions"
             if not empty else "dialplan.toml declares a [directory] of extensions",
             config.realm)
    registrar = options.registrar_settings(kamailio_db_url(config.url), config.realm)
    return dataclasses.replace(options, registrar=registrar)


def with_registrar(options: ProxyOptions, config: Path | None,
                   plans: Path | None = None) -> ProxyOptions:
    """`options` with registrar settings when the configured directory exists and is
    declared or has extensions (for `dialplan proxy`)."""
    directory_config = load_directory_config(config, plans)
    url = make_url(directory_config.url)
    if is_sqlite(directory_config.url) and not Path(str(url.database)).exists():
        return options
    try:
        directory = open_configured(directory_config)
    except SQLAlchemyError as error:
        raise DirectoryUnavailable(f"the directory's database: {error}") from error
    try:
        return registrar_options(options, directory_config, directory)
    finally:
        directory.close()
