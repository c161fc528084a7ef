"""A real, throwaway PostgreSQL for tests (Debian `postgresql`, version 15): a cluster
made by initdb in a temporary folder, listening on a free port of 127.0.0.1 only, with
password authentication, stopped and removed at the end.

    with running_postgres() as server:        # a PostgresServer
        url = server.new_database("case1")    # "postgresql://dialplan:...@127.0.0.1:PORT/case1"

PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres`
system user (its folder is made outside pytest's private tmp tree, which that user
cannot enter).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.harness import wait_for
from tests.support.redis_server import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
USER = "dialplan"  # the cluster's superuser


@dataclass(frozen=True)
class PostgresServer:
    port: int
    password: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        """A fresh, empty database `name`; its URL."""
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def execute(self, sql: str, database: str = "postgres") -> None:
        """One statement outside a transaction (as CREATE DATABASE needs)."""
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(sql.encode())


def _owner() -> pwd.struct_passwd | None:
    """Whom the cluster runs as: `postgres` when we are root, else ourselves (None)."""
    return pwd.getpwnam("postgres") if os.geteuid() == 0 else None


def _run(command: list[str], owner: pwd.struct_passwd | None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False,
                          user=owner.pw_uid if owner else None,
                          group=owner.pw_gid if owner else None)
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")


def _ready(port: int) -> bool:
    done = subprocess.run([str(BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)],
                          capture_output=True, timeout=5, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def running_postgres(timeout: float = 30.0) -> Iterator[PostgresServer]:
    if not (BIN / "initdb").exists():
        raise RuntimeError("PostgreSQL 15 is not installed (packaging/debian-packages.txt)")
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="dialplan-pg-"))
    server = PostgresServer(free_port(), secrets.token_hex(16))
    try:
        (folder / "password").write_text(server.password + "\n")
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            os.chown(folder / "password", owner.pw_uid, owner.pw_gid)
        data = folder / "data"
        _run([str(BIN / "initdb"), "-D", str(data), "-U", USER, "-A", "scram-sha-256",
              "--pwfile", str(folder / "password"), "-E", "UTF8", "--locale=C", "--no-sync",
              "--no-instructions"], owner)
        _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
              "-t", str(int(timeout)), "-o",
              f"-c listen_addresses=127.0.0.1 -p {server.port} -c unix_socket_directories="
              f"{folder} -c fsync=off -c max_connections=50", "start"], owner)
        wait_for(lambda: _ready(server.port), timeout,
                 lambda: f"PostgreSQL did not start: {(folder / 'log').read_text()}")
        yield server
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            _run([str(BIN / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w",
                  "stop"], owner)
        shutil.rmtree(folder, ignore_errors=True)
