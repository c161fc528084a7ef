"""Benchmark: `dialplan serve` with one engine process, SIPp calling the demo.

    .venv/bin/python bench/serve_demo.py [--calls 40]

Measures: the highest SIPp call rate through the whole demo flow (answer, welcome,
menu, press 1, goodbye, server BYE) that completes with 0 failed calls (one process
holds at most 4 calls, so call length bounds the rate); reload latency from saving
a file to the new version being live; and memory per active call (RSS with 4 calls
up minus idle RSS, over 4).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.harness import ROOT, Server, serving, sipp
from tests.support.scenarios import press_then_server_hangs_up

DEMO = (ROOT / "examples/dialplans/demo.dialplan").read_text()


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+)", status)
    return int(match.group(1)) if match else 0


def throughput(server: Server, workdir: Path, calls: int) -> list[tuple[float, int, float]]:
    """(offered rate, failed calls, achieved calls/s) for increasing rates."""
    results = []
    for rate in (0.5, 0.8, 1.0, 1.2):
        scenario = press_then_server_hangs_up("1", 3000)
        started = time.monotonic()
        result = sipp(scenario, server, "100", workdir, calls=calls, limit=4, rate=rate,
                      timeout=calls / rate + 60)
        elapsed = time.monotonic() - started
        failed = re.search(r"Failed call\s+\|\s+\d+\s+\|\s+(\d+)", str(result.stdout))
        results.append((rate, int(failed.group(1)) if failed else -1, calls / elapsed))
    return results


def reload_latency(server: Server, plan: Path, times: int = 20) -> list[float]:
    latencies = []
    for i in range(times):
        before = server.admin("/plans")
        plan.write_text(DEMO.replace("Goodbye.", f"Goodbye {i}."))
        started = time.monotonic()
        while server.admin("/plans") == before:
            time.sleep(0.005)
        latencies.append(time.monotonic() - started)
    return latencies


def memory_per_call(server: Server, workdir: Path) -> tuple[int, float]:
    idle = rss_kib(server.process.pid)
    scenario = press_then_server_hangs_up("1", 8000)
    calls = sipp(scenario, server, "100", workdir, calls=4, limit=4, rate=20, timeout=60,
                 background=True)
    assert isinstance(calls, subprocess.Popen)
    while len(server.admin("/calls")) < 4:  # type: ignore[arg-type]
        time.sleep(0.05)
    time.sleep(1)
    busy = rss_kib(server.process.pid)
    calls.wait(timeout=60)
    return idle, (busy - idle) / 4


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        plans = workdir / "plans"
        plans.mkdir()
        plan = plans / "demo.dialplan"
        plan.write_text(DEMO)
        with serving(plans, workdir) as server:
            for rate, failed, achieved in throughput(server, workdir, args.calls):
                print(f"offered {rate:.1f} calls/s: {failed} failed, {achieved:.2f} calls/s "
                      f"completed ({args.calls} calls, 4 at a time)")
            latencies = reload_latency(server, plan)
            print(f"reload latency (save -> live): median {statistics.median(latencies) * 1000:.0f}"
                  f" ms, max {max(latencies) * 1000:.0f} ms over {len(latencies)} saves")
            idle, per_call = memory_per_call(server, workdir)
            print(f"memory: idle RSS {idle / 1024:.1f} MiB, {per_call:.0f} KiB per active call")


if __name__ == "__main__":
    main()
