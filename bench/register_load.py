"""Phones registering with Kamailio as registrar: N extensions (SIPp with digest
`[authentication]`, one phone each) register at R REGISTER/s, then all re-register from
the same address (an update of the same contact). Reports failures, the rate reached,
and the registrar's CPU (Kamailio's whole process group, from /proc), on SQLite or
PostgreSQL, everything on 127.0.0.x.

    python bench/register_load.py --phones 200 --rate 50
    python bench/register_load.py --phones 1000 --rate 100 --database postgresql
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dialplan.directory import Extension, kamailio_db_url, open_directory, upgrade  # noqa: E402
from dialplan.directory.database import sqlite_url  # noqa: E402
from dialplan.proxy.registrar import RegistrarSettings  # noqa: E402
from tests.dialplan.proxy.registrar_kit import Registrar, locations, register  # noqa: E402
from tests.engine.support import free_port_block  # noqa: E402
from tests.support.postgres_server import running_postgres  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "bench-password-1"


def group_cpu_seconds(group: int) -> float:
    """utime + stime of every process in process group `group` (Kamailio's children)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp
                total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield sqlite_url(folder / "var" / "dialplan.db")
        return
    with running_postgres() as server:
        yield server.new_database("bench")


def counts(output: str) -> tuple[int, int]:
    """SIPp's cumulative successful and failed calls."""
    def last(name: str) -> int:
        found = re.findall(rf"{name} call\s*\|\s*\d+\s*\|\s*(\d+)", output)
        return int(found[-1]) if found else 0
    return last("Successful"), last("Failed")


def run(args: argparse.Namespace, folder: Path, url: str) -> None:
    upgrade(url)
    directory = open_directory(url)
    phones = [(str(10000 + n), PASSWORD) for n in range(args.phones)]
    for number, password in phones:
        directory.add(Extension(number), password)
    directory.close()
    registrar = Registrar(folder, RegistrarSettings(kamailio_db_url(url)))
    local = free_port_block(1)
    try:
        for label in ("register", "re-register"):
            before, start = group_cpu_seconds(registrar.process.pid), time.monotonic()
            done = register(registrar.port, "127.0.0.2", phones, folder, rate=args.rate,
                            timeout=args.phones / args.rate + 30, local=local)
            wall = time.monotonic() - start
            cpu = group_cpu_seconds(registrar.process.pid) - before
            good, failed = counts(done.stdout)
            print(f"{label:12} {good:5d} ok {failed:4d} failed  {wall:6.1f} s  "
                  f"{good / wall:6.1f} REGISTER/s  kamailio CPU {100 * cpu / wall:5.1f}% "
                  f"of a core ({1000 * cpu / max(good, 1):.2f} ms per registration)")
        start = time.monotonic()  # SQLite: written back by usrloc's timer (registrar.py)
        while len(locations(url)) < args.phones and time.monotonic() - start < 30:
            time.sleep(0.5)
        print(f"location rows: {len(locations(url))} of {args.phones}, "
              f"{time.monotonic() - start:.1f} s after the last REGISTER")
    finally:
        registrar.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    print(f"{args.phones} phones at {args.rate:g} REGISTER/s, directory in {args.database}, "
          f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="register-load-") as name, \
            database(args.database, Path(name)) as url:
        run(args, Path(name), url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
