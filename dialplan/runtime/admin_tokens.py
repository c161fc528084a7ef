"""The admin endpoint's bearer tokens, one per scope, each in its own file.

Why two files: a monitoring system gets `read.token` (calls, plans, queues, metrics,
workers) and can do nothing else; `operator.token` also reads `/trace` (which holds
what callers keyed in, PINs included) and may POST (restart, reload). One file holds
one token and nothing else, as Prometheus' `credentials_file` and `curl -H @file` want.

The files are made on first start (`secrets`, 256 bits), mode 0600 in a folder of mode
0700, by writing a private temporary file and linking it into place: when a pool's
processes or two services start at once, exactly one token wins and every process reads
it. An operator may put a token of their own in the file instead; the file is read
again whenever it changes, so rotating a token needs no restart. A token file that
others may read is refused, as ssh refuses a private key.
"""

from __future__ import annotations

import contextlib
import enum
import hmac
import os
import secrets
import stat
from pathlib import Path

MIN_LENGTH = 16  # characters a token of the operator's own must have at least


class Scope(enum.IntEnum):
    """What a token allows; a higher scope allows everything a lower one does."""
    READ = 1
    OPERATOR = 2


class AdminTokenError(Exception):
    pass


def _create(path: Path) -> None:
    """Write a fresh token to `path` unless someone else already did (atomically)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process was first: keep its
            os.link(temporary, path)
    finally:
        temporary.unlink()


def _read(path: Path) -> str:
    status = path.stat()
    if status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AdminTokenError(f"{path} may be read by others (mode "
                              f"{stat.S_IMODE(status.st_mode):04o}): chmod 600 it")
    token = path.read_text().strip()
    if len(token) < MIN_LENGTH:
        raise AdminTokenError(f"{path}: a token needs {MIN_LENGTH} characters or more")
    return token


class TokenFile:
    """One scope's token, read again when its file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = (0, 0)  # (mtime, inode) of the file last read
        self._token = ""

    def token(self) -> str:
        status = self.path.stat()
        if (status.st_mtime_ns, status.st_ino) != self._seen:
            self._token = _read(self.path)
            self._seen = (status.st_mtime_ns, status.st_ino)
        return self._token


class AdminTokens:
    """The tokens in `folder` (made there if missing): `read.token`, `operator.token`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.files = {scope: TokenFile(folder / f"{scope.name.lower()}.token")
                      for scope in Scope}
        for file in self.files.values():
            if not file.path.exists():
                _create(file.path)
            file.token()  # refuse to start on a bad file, not on the first request

    def token(self, scope: Scope) -> str:
        return self.files[scope].token()

    def scope_of(self, authorization: str) -> Scope | None:
        """The scope an `Authorization: Bearer ...` header grants, None if none."""
        kind, _, offered = authorization.partition(" ")
        if kind.lower() != "bearer" or not offered.strip():
            return None
        granted = None
        for scope, file in self.files.items():
            try:
                known = file.token()
            except (OSError, AdminTokenError):
                continue  # a file being replaced: that scope is closed meanwhile
            if hmac.compare_digest(offered.strip().encode(), known.encode()):
                granted = scope
        return granted
