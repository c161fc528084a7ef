"""Soak: N demo calls at R calls/s through `dialplan serve --processes K` behind Kamailio,
callers (SIPp) pressing 1 on the demo menu (not run in CI; the full run takes over an
hour of load on the machine).

    .venv/bin/python bench/soak.py --calls 20000 --rate 20 -k 30
    .venv/bin/python bench/soak.py --calls 2000 --rate 20 -k 30   # a shorter one

Every call runs the whole demo flow (examples/dialplans/demo.dialplan: welcome, menu,
1 pressed at 3 s, goodbye, the service hangs up; ~4.6 s). Counted, from SIPp and from
the service's log (INFO: the supervisor's lines and each call's path, dialplan.calls):
- failed: SIPp's failed calls (and calls it never completed);
- aborts: workers that died (the supervisor's "died with CODE" lines: 134 is an
  assertion inside pjsip, -9 a worker killed as hung), with the calls they took;
- lost digits: answered calls whose caller's 1 never became a `Digit` event in the
  service (the call log has no such event for the call); of those, the calls the
  engine hung up without having received any RTP (its "without any RTP" line): the
  digit never arrived, which points at the caller (SIPp) rather than the service.
The last line is the one-line summary. The service's log is kept in /tmp when anything
went wrong (--keep-log keeps it anyway).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import shlex
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_proc import ROOT, Service
from bench.pool_sipp import Sipp, demo_call, udp_totals

DEMO = ROOT / "examples/dialplans/demo.dialplan"
CALL_SECONDS = 5.0  # the demo call's length, with a margin
PER_PROCESS = 3.6  # calls a worker is planned for: 90% of the wheel's 4
DIED = re.compile(r"worker (\d+) \(pid (\d+)\) died with (-?\d+), (\d+) call\(s\) lost")
HUNG = re.compile(r"worker (\d+) \(pid (\d+)\) hung")
CALL_LINE = re.compile(r" INFO dialplan\.calls: (\w+) (\{.*\})$")
NO_RTP = re.compile(r"\(Call-ID (\S+)\): hung up without any RTP received")


@dataclass
class Tally:
    """What the service's log says about the run."""
    exits: Counter[int] = field(default_factory=Counter)  # worker exit code -> deaths
    hung: int = 0
    lost_calls: int = 0  # calls the supervisor counted as lost with a dead worker
    started: set[str] = field(default_factory=set)  # call ids (the service's)
    answered: set[str] = field(default_factory=set)
    digits: set[str] = field(default_factory=set)  # calls that got their Digit event
    lines: list[str] = field(default_factory=list)  # the deaths, as logged
    began: dict[str, float] = field(default_factory=dict)  # call -> call_started (s)
    welcome: list[float] = field(default_factory=list)  # seconds to the first prompt's end
    silent: set[str] = field(default_factory=set)  # SIP Call-IDs: no RTP ever arrived

    @property
    def aborts(self) -> int:
        """Workers that died (one killed as hung is logged twice: hung, then died)."""
        return sum(self.exits.values())

    def lost_digits(self) -> list[str]:
        return sorted(self.answered - self.digits)


def read_log(path: Path) -> Tally:
    """Scan the service's log once (it can hold a few hundred MB at 20,000 calls)."""
    tally = Tally()
    with path.open(errors="replace") as log:
        for line in log:
            if " dialplan.calls: " in line:
                _call_line(tally, line)
            elif (died := DIED.search(line)) is not None:
                tally.exits[int(died.group(3))] += 1
                tally.lost_calls += int(died.group(4))
                tally.lines.append(line.strip())
            elif (quiet := NO_RTP.search(line)) is not None:
                tally.silent.add(quiet.group(1))
            elif HUNG.search(line) is not None:
                tally.hung += 1
                tally.lines.append(line.strip())
    return tally


def _call_line(tally: Tally, line: str) -> None:
    found = CALL_LINE.search(line.rstrip("\n"))
    if found is None:
        return
    record = json.loads(found.group(2))
    call = f"{record.get('sip_call_id') or ''}/{record['call']}"
    stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    if found.group(1) == "call_started":
        tally.started.add(call)
        tally.began[call] = stamp
    elif found.group(1) == "event":
        kind = record.get("input", {}).get("type")
        if kind == "Digit":
            tally.digits.add(call)
        elif kind == "PromptFinished" and call not in tally.answered:  # the welcome played
            tally.answered.add(call)
            if call in tally.began:
                tally.welcome.append(stamp - tally.began[call])


def soak(service: Service, calls: int, rate: float, sipp_port: int, sipp_media: int) -> str:
    timeout = calls / rate + 120
    sipp = Sipp(demo_call(), service.workdir, service.sip, calls, calls, rate, timeout,
                local=sipp_port, media=sipp_media)
    print("  $", shlex.join(sipp.command()), flush=True)
    started, udp_before = time.monotonic(), udp_totals()
    try:
        sipp.start()
        result = sipp.wait()
    finally:
        sipp.stop()
    wall = time.monotonic() - started
    udp = {key: value - udp_before.get(key, 0) for key, value in udp_totals().items()}
    service.settle()
    busy = service.busy_after_settle()
    if busy != "none":
        print(f"  calls that never ended, by worker: {busy}", flush=True)
    tally = read_log(service.workdir / "serve.log")
    lost = tally.lost_digits()
    unheard = sum(1 for call in lost if call.split("/")[0] in tally.silent)
    failed = max(result.failed, 0) + max(calls - max(result.ok, 0) - max(result.failed, 0), 0)
    # SIPp 3.6 plays a pcap through a raw socket and gives up on the rest of the play
    # when a send fails: that digit never leaves the caller
    unsent = result.out.count("sendto failed")
    if failed or tally.aborts or lost:
        service.keep_log = True
        kept = Path(tempfile.gettempdir()) / f"soak-sipp-{int(time.time())}.out"
        kept.write_text(result.out)
        print(f"  SIPp: {result.why()}; its output is kept: {kept}")
        for line in tally.lines[:10]:
            print(f"  {line}")
        if lost:
            print(f"  calls without their digit (SIP Call-ID/service id): {', '.join(lost[:10])}")
    codes = ", ".join(f"{n}x exit {code}" for code, n in sorted(tally.exits.items()))
    if len(tally.welcome) > 1:  # the bridge's clock keeps time if this stays near 2.0 s
        q = statistics.quantiles(tally.welcome, n=100, method="inclusive")
        print(f"  the welcome prompt took p50 {q[49]:.2f} s, p99 {q[98]:.2f} s, "
              f"max {max(tally.welcome):.2f} s")
    why = f" ({codes}; {tally.hung} killed as hung)" if tally.aborts else ""
    return (f"soak: {calls} calls at {rate:g}/s on K={service.processes} in {wall:.0f} s: "
            f"{result.ok} ok, {failed} failed; worker aborts {tally.aborts}{why}, calls lost "
            f"with them {tally.lost_calls}; digits lost {len(lost)} of {len(tally.answered)} "
            f"answered ({len(tally.started)} started; {unheard} of those lost calls never got "
            f"any RTP from the caller; SIPp failed to send RTP {unsent} times; the kernel "
            f"dropped UDP: {udp.get('NoPorts', 0)} to closed ports, {udp.get('RcvbufErrors', 0)} "
            f"on full buffers, {udp.get('InErrors', 0)} in errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=20.0, help="calls/s (default 20)")
    parser.add_argument("-k", "--processes", type=int,
                        help="engine processes (default: what the rate needs at 90%%)")
    # above the kernel's ephemeral range (32768-60999) and the tests' ports (10000-32700)
    parser.add_argument("--sip", type=int, default=61000)
    parser.add_argument("--admin", type=int, default=61500)
    parser.add_argument("--media", type=int, default=62000)
    parser.add_argument("--sipp-port", type=int, default=61400)
    parser.add_argument("--sipp-media", type=int, default=61450)
    parser.add_argument("--ports-per-worker", type=int, default=64,
                        help="RTP ports a worker (64+ keeps churn at full pace; 20+ will do)")
    parser.add_argument("--keep-log", action="store_true")
    args = parser.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # unwind and clean up
    processes = args.processes or math.ceil(args.rate * CALL_SECONDS / PER_PROCESS)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        workdir = Path(folder)
        plans = workdir / "plans"
        plans.mkdir()
        shutil.copy(DEMO, plans)
        service = Service(plans, workdir, processes, args.sip, args.admin, args.media,
                          "INFO", args.ports_per_worker, keep_log=args.keep_log)
        try:
            service.start()
            print("  $", shlex.join(service.command), flush=True)
            summary = soak(service, args.calls, args.rate, args.sipp_port, args.sipp_media)
        finally:
            service.stop()
    print(summary, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: every process this run started is stopped")
