"""Benchmark: one engine process (the SIP server example) under SIPp.

    .venv/bin/python bench/engine_calls.py [--calls 1000] [--probes 300]

Prints, for one engine process on 127.0.0.1:
- idle CPU (% of one core over ``--idle`` seconds) and idle RSS;
- answer latency p50/p99: INVITE -> 200 OK timed in microseconds by a raw
  UDP probe (bench/engine_probe.py) while SIPp keeps 3 other calls going
  (SIPp's own figure has 1 ms resolution and reads 0 ms on loopback);
- throughput (completed calls/s) with SIPp pushing as fast as the engine
  lets it, up to 4 concurrent calls (the wheel's cap), zero-length calls;
- RSS after the load, and whether the process then stopped with exit 0.
Needs ``sipp`` (Debian package sip-tester).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.engine.sipp import answered_call, run_sipp  # noqa: E402
from tests.engine.support import ExampleProcess, free_port_block  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from engine_probe import timed_call  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def idle_cpu(pid: int, seconds: float) -> float:
    before, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / (time.monotonic() - start)


def sipp_load(port: int, workdir: Path, calls: int, rate: float, hold_ms: int, limit: int = 4):
    """Start SIPp in the background (the caller waits for it)."""
    from tests.engine.sipp import start_sipp

    return start_sipp(
        answered_call(hold_ms=hold_ms), workdir, port, free_port_block(1), free_port_block(4),
        calls=calls, limit=limit, rate=rate, timeout=300,
    )  # fmt: skip


def latency_under_load(port: int, workdir: Path, probes: int) -> tuple[list[float], int]:
    """Probe answer times (about 15 calls/s) while SIPp keeps up to 3 calls going.

    The combined rate stays below the ChurnGuard's pace (40 set-ups/s), so
    these are unthrottled answer times.
    """
    seconds = probes * 0.065
    load = sipp_load(port, workdir, max(4, int(seconds * 4)), 4.0, 500, limit=3)
    try:
        time.sleep(0.5)
        times = []
        for _ in range(probes):
            times.append(timed_call(port, free_port_block(2)))
            time.sleep(0.06)
        load.wait(seconds + 30)
    finally:
        if load.poll() is None:
            load.kill()
            load.wait()
    return times, load.returncode


def throughput(port: int, workdir: Path, calls: int) -> tuple[float, int]:
    started = time.monotonic()
    result = run_sipp(
        answered_call(hold_ms=0), workdir, port, free_port_block(1), free_port_block(4),
        calls=calls, limit=4, rate=1000.0, timeout=300,
    )  # fmt: skip
    return calls / (time.monotonic() - started), result.returncode


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls in the throughput run")
    parser.add_argument("--probes", type=int, default=300, help="timed probe calls")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    args = parser.parse_args()

    server = ExampleProcess("sip_server.py", media_ports=100)
    pid = server.proc.pid
    try:
        time.sleep(2.0)  # let start-up settle (and the null sound device auto-close)
        idle, idle_rss = idle_cpu(pid, args.idle), rss_mb(pid)
        with tempfile.TemporaryDirectory() as tmp:
            times, rc1 = latency_under_load(server.port, Path(tmp), args.probes)
            rate, rc2 = throughput(server.port, Path(tmp), args.calls)
        loaded_rss = rss_mb(pid)
        time.sleep(2.0)
        after_idle = idle_cpu(pid, min(5.0, args.idle))
    finally:
        server.proc.send_signal(signal.SIGTERM)
        code = server.wait(20)
    report(args, idle, idle_rss, times, rc1, rate, rc2, loaded_rss, after_idle, code)


def report(args, idle, idle_rss, times, rc1, rate, rc2, loaded_rss, after_idle, code) -> None:  # type: ignore[no-untyped-def]
    p50, p99 = percentile(times, 50), percentile(times, 99)
    print(f"one engine process on 127.0.0.1, {os.cpu_count()} cores")
    print(f"idle CPU              : {idle:.3f} % of one core ({args.idle:.0f} s)")
    print(f"idle RSS              : {idle_rss:.1f} MB")
    print(f"answer latency        : p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(times):.2f} ms")
    print(f"                        ({len(times)} probe calls beside 3 SIPp calls, sipp rc {rc1})")
    print(
        f"throughput            : {rate:.1f} calls/s "
        f"({args.calls} zero-length calls, sipp rc {rc2})"
    )
    print(f"RSS after load        : {loaded_rss:.1f} MB")
    print(f"idle CPU after load   : {after_idle:.3f} %")
    print(f"graceful stop exit    : {code}")


if __name__ == "__main__":
    main()
