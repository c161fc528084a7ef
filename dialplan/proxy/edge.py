"""Whether the proxy is also the PBX's registrar and edge: yes exactly when the
directory (`[directory]` of dialplan.toml, default var/dialplan.db) has extensions.

Decided when the proxy's configuration is made (the service's start, or `dialplan
proxy`): a first extension added while the service runs takes effect at its next
start. A directory that was never made (no SQLite file) is empty, and is not made here:
a plain IVR does not grow a database. One that exists is brought up to date by its
migrations first, so Kamailio reads the tables it expects.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dialplan.directory import (
    DirectoryConfig,
    is_sqlite,
    kamailio_db_url,
    load_directory_config,
    open_configured,
)

from .options import ProxyOptions

log = logging.getLogger("dialplan.proxy")


class DirectoryUnavailable(Exception):
    """The directory is configured but cannot be read: better not to start than to
    start an edge that lets anyone in (or no one)."""


def with_registrar(options: ProxyOptions, config: Path | None,
                   plans: Path | None = None) -> ProxyOptions:
    """`options` with registrar settings when the configured directory has extensions."""
    directory = load_directory_config(config, plans)
    if not _has_extensions(directory):
        return options
    registrar = options.registrar_settings(kamailio_db_url(directory.url), directory.realm)
    log.info("the directory has extensions: Kamailio is their registrar (realm %s)",
             directory.realm)
    return dataclasses.replace(options, registrar=registrar)


def _has_extensions(config: DirectoryConfig) -> bool:
    url = make_url(config.url)
    if is_sqlite(config.url) and not Path(str(url.database)).exists():
        return False
    try:
        directory = open_configured(config)
        try:
            return not directory.is_empty()
        finally:
            directory.close()
    except SQLAlchemyError as error:
        where = url.render_as_string(hide_password=True)
        raise DirectoryUnavailable(f"the directory at {where} cannot be read: "
                                   f"{error.__class__.__name__}: {error}"
                                   ) from error
