"""Benchmark: reading the directory of extensions, on SQLite and on PostgreSQL.

    .venv/bin/python bench/directory_lookup.py [--extensions 1000] [--lookups 2000]

Why: nothing is cached (docs/pbx.md), so every call that needs an extension reads its
row; this measures what that costs. Prints, per backend, the time to upgrade an empty
database, to add N extensions (one transaction each, as `dialplan users` and the admin
API do), and p50/p95/p99 of `Directory.get` of a random extension and of
`Directory.list` of all N. PostgreSQL is a throwaway cluster on 127.0.0.1
(tests/support/postgres_server.py), fsync off.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dialplan.directory import Extension, open_directory, upgrade  # noqa: E402
from dialplan.directory.database import sqlite_url  # noqa: E402
from tests.support.postgres_server import running_postgres  # noqa: E402


def _percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49] * 1e3:.3f} ms  p95 {cuts[94] * 1e3:.3f} ms  " \
           f"p99 {cuts[98] * 1e3:.3f} ms"


def _timed(work: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return samples


def measure(name: str, url: str, extensions: int, lookups: int) -> None:
    started = time.perf_counter()
    upgrade(url)
    print(f"{name}: upgrade of an empty database {time.perf_counter() - started:.2f} s")
    directory = open_directory(url, "bench.example")
    try:
        started = time.perf_counter()
        for number in range(1000, 1000 + extensions):
            directory.add(Extension(str(number), f"Desk {number}"), "bench-password")
        added = time.perf_counter() - started
        print(f"{name}: add {extensions} extensions {added:.2f} s "
              f"({extensions / added:.0f}/s)")
        numbers = [str(random.randrange(1000, 1000 + extensions)) for _ in range(lookups)]
        it = iter(numbers)
        gets = _timed(lambda: directory.get(next(it)), lookups)
        print(f"{name}: get x{lookups}   {_percentiles(gets)}")
        print(f"{name}: list of {extensions} x50  {_percentiles(_timed(directory.list, 50))}")
    finally:
        directory.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extensions", type=int, default=1000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure("sqlite", sqlite_url(Path(folder) / "dialplan.db"), args.extensions,
                args.lookups)
    with running_postgres() as server:
        measure("postgresql", server.new_database("bench"), args.extensions, args.lookups)


if __name__ == "__main__":
    main()
