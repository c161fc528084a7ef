"""Idle memory of a pool's workers: `dialplan serve --processes K` on loopback, left
alone, then each process's /proc/PID/smaps_rollup (not run in CI).

    .venv/bin/python bench/idle_memory.py -k 8 -k 31
    .venv/bin/python bench/idle_memory.py -k 31 --bare     # the floor: see below

For every K it prints, per role (supervisor, worker), the mean, min and max of PSS and
of its parts: Private_Dirty (pages the process wrote since the fork: what a worker
costs on its own), Pss_Anon and Pss_File. Workers are measured after --settle seconds
(start-up done, Kamailio's probes under way).

--bare: the same supervisor start-up (every import, the plans compiled, gc.freeze) but
each forked child only sleeps: the floor a worker could reach with no engine, no event
loop and no service of its own.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_proc import ROOT, Service, role, tree

FIELDS = ("Pss", "Private_Dirty", "Pss_Anon", "Pss_File")
PLANS = ROOT / "examples" / "dialplans"


def rollup(pid: int) -> dict[str, int]:
    """The fields of FIELDS in KiB; empty if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if name in FIELDS:
            values[name] = int(rest.split()[0])
    return values


def report(name: str, rows: list[dict[str, int]]) -> None:
    parts = []
    for field in FIELDS:
        mib = [row[field] / 1024 for row in rows if field in row]
        if mib:
            parts.append(f"{field} {statistics.mean(mib):.2f} "
                         f"({min(mib):.2f}-{max(mib):.2f})")
    print(f"  {name} x{len(rows)}: " + ", ".join(parts) + " MiB", flush=True)


def served(processes: int, settle: float, sip: int) -> None:
    with tempfile.TemporaryDirectory(prefix="idle-memory-") as folder:
        service = Service(PLANS, Path(folder), processes, sip=sip, admin=sip + 500,
                          media=sip + 1000, per_worker=20, log_level="WARNING")
        try:
            service.start()
            time.sleep(settle)
            assert service.process is not None
            root = service.process.pid
            rows: dict[str, list[dict[str, int]]] = {}
            for proc in tree(root):
                rows.setdefault(role(proc, root), []).append(rollup(proc.pid))
            for name in ("supervisor", "worker"):
                report(name, rows.get(name, []))
        finally:
            service.stop()


def bare(processes: int, settle: float, sip: int = 0) -> None:
    """The supervisor's imports and compiled plans, frozen, forked into idle children."""
    from dialplan.cli import serve as _serve  # noqa: F401 - what `dialplan serve` imports
    from dialplan.pool.supervisor import Pool  # noqa: F401
    from dialplan.runtime.published_plans import load_plans
    plans, _, _ = load_plans(PLANS, None)
    assert plans is not None
    gc.collect()
    gc.freeze()
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            signal.pause()
            os._exit(0)
        children.append(pid)
    try:
        time.sleep(settle)
        report("supervisor", [rollup(os.getpid())])
        report("bare child", [rollup(pid) for pid in children])
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, action="append", help="processes (repeatable)")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds idle first")
    parser.add_argument("--bare", action="store_true", help="idle forks, no service")
    parser.add_argument("--sip", type=int, default=26000,
                        help="SIP port (workers above it; admin +500, media +1000 on)")
    args = parser.parse_args()
    for processes in args.k or [8]:
        print(f"K={processes}{' (bare)' if args.bare else ''}:", flush=True)
        (bare if args.bare else served)(processes, args.settle, args.sip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
