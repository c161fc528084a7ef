"""The `[directory]` table of dialplan.toml: where the extensions are kept.

    [directory]
    url = "postgresql://pbx:secret@db.example/pbx"  # default: sqlite var/dialplan.db
    realm = "pbx.example"                            # digest realm (default "dialplan")

Without a URL the directory is the SQLite file var/dialplan.db beside the config file
(or, without one, beside the plans folder), like the service's other var/ folders.
Changing the realm invalidates every stored HA1: set the passwords again after.

A `[directory]` table, even an empty one, declares the service a PBX: its Kamailio is the
registrar from the first start, before any extension exists (proxy/edge.py), so the
first `dialplan users add` needs no restart.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialplan.config import Parse, ServeConfigError, read_table

from .database import DatabaseUrlError, _parsed, sqlite_url

DEFAULT_FILE = Path("var/dialplan.db")
REALM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,62}")


@dataclass(frozen=True)
class DirectoryConfig:
    url: str
    realm: str = "dialplan"
    declared: bool = False  # dialplan.toml has a [directory] table: a PBX from the start


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    try:
        _parsed(value)
    except DatabaseUrlError as error:
        raise ValueError(str(error)) from error
    return value


def _realm(value: Any) -> str:
    if not isinstance(value, str) or not REALM.fullmatch(value):
        raise ValueError("must be a host-like name (letters, digits, `.`, `-`)")
    return value


SETTINGS: dict[str, tuple[str, Parse]] = {"url": ("url", _url), "realm": ("realm", _realm)}


def load_directory_config(path: Path | None, plans: Path | None = None) -> DirectoryConfig:
    """The `[directory]` table of `path` (a ServeConfigError if it is wrong)."""
    base = path.parent if path is not None else plans or Path(".")
    given = read_table(path, "directory", SETTINGS) if path is not None else {}
    declared = path is not None and "directory" in tomllib.loads(path.read_text())
    return DirectoryConfig(**({"url": sqlite_url(base / DEFAULT_FILE)} | given),
                           declared=declared)


__all__ = ["DirectoryConfig", "ServeConfigError", "load_directory_config"]
