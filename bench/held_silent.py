"""Held silent calls: what a call costs while nothing plays (not run in CI).

    .venv/bin/python bench/held_silent.py -k 1 --calls 4 --hold 10
    .venv/bin/python bench/held_silent.py -k 64 --calls 256 --hold 10 --rate 40

`dialplan serve --processes K` behind Kamailio; SIPp (127.0.0.1, bounded) places
--calls calls on the issue-15 flow (answer, "Press one.", collect one digit, hang up on
1; its timeout is 60 s here, not 15 s, so that long holds fit), waits --hold seconds,
presses 1 (RFC 2833) and expects the service's BYE. Every call's audio from the service
goes to one UDP socket of this script (the SDP's port), so the packets the service sends
are counted exactly.
Once every call is up and its prompt has ended, it measures over --window seconds: the
service's CPU by role (utime+stime from /proc), RTP packets/s reaching the caller, and
PSS (smaps_rollup) of the supervisor, the workers and Kamailio; the idle PSS is taken
before the calls. 0 failed means every call was held and its 1 was heard.
"""

from __future__ import annotations

import argparse
import resource
import shlex
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_proc import Service, pss_kib, role, tree
from bench.pool_sipp import ANSWERED, RECV_BYE, Sipp, play, tolerant
from tests.engine.sipp import HEAD

PLAN = """route 100 -> held

flow held {
  start:
    answer
    collect d "Press one." digits 1 until "" timeout 60s attempts 1 {
      exhausted -> hangup
    }
    if d == "1" {
      hangup
    }
    wait 12s
    hangup
}
"""


class Ear:
    """One UDP socket standing in for every caller's RTP port: it counts packets."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(("127.0.0.1", port))
        self.rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtcp.bind(("127.0.0.1", port + 1))  # the service's RTCP lands here, unread
        self.sock.settimeout(0.2)
        self.packets = 0
        self._running = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._running:
            try:
                self.sock.recv(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            self.packets += 1

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        self.sock.close()
        self.rtcp.close()


def held_call(ear_port: int, hold_ms: int) -> str:
    head = HEAD.format(name="held").replace("m=audio [media_port]", f"m=audio {ear_port}")
    body = ANSWERED + f'  <pause milliseconds="{hold_ms}"/>\n' + play("dtmf_2833_1.pcap")
    return tolerant(head + body + RECV_BYE + "</scenario>\n")


def pss_by_role(service: Service) -> dict[str, list[float]]:
    assert service.process is not None
    found: dict[str, list[float]] = {}
    for proc in tree(service.process.pid):
        found.setdefault(role(proc, service.process.pid), []).append(pss_kib(proc.pid) / 1024)
    return found


def pss_line(found: dict[str, list[float]]) -> str:
    return "; ".join(f"{name} {len(v)}x: {sum(v):.1f} MiB (mean {statistics.mean(v):.2f}, "
                     f"max {max(v):.2f})" for name, v in sorted(found.items()))


def measure(service: Service, args: argparse.Namespace) -> None:
    time.sleep(3)  # start-up done
    print(f"  idle PSS: {pss_line(pss_by_role(service))}", flush=True)
    ear = Ear(args.ear)
    rate = args.rate or max(5.0, args.calls / 8)
    hold_ms = int(args.hold * 1000)
    sipp = Sipp(held_call(args.ear, hold_ms), service.workdir, service.sip, args.calls,
                args.calls, rate, args.hold + 60)
    print("  $", shlex.join(sipp.command()), flush=True)
    try:
        sipp.start()
        ramp = args.calls / rate + 2.0  # every call answered and its prompt over
        time.sleep(ramp)
        live = service.live_calls()
        cpu0, packets0, at0 = service.cpu(), ear.packets, time.monotonic()
        time.sleep(args.window)
        cpu1, packets1, at1 = service.cpu(), ear.packets, time.monotonic()
        pss = pss_by_role(service)
        result = sipp.wait()
    finally:
        sipp.stop()
        ear.close()
    wall = at1 - at0
    spent = {k: cpu1.get(k, 0.0) - cpu0.get(k, 0.0) for k in cpu1}
    total = sum(spent.values())
    print(f"  {args.calls} calls held {args.hold:g} s: {result.ok} ok, {result.failed} failed, "
          f"peak {result.peak}  {result.why()}")
    print(f"  over {wall:.1f} s with {live} live calls: CPU {total / wall * 100:.1f}% of a core ("
          + ", ".join(f"{k} {v / wall * 100:.1f}%" for k, v in sorted(spent.items()))
          + f") = {total / wall / max(1, live) * 1000:.2f} ms CPU per held call per s; RTP to "
          f"the caller {(packets1 - packets0) / wall:.1f} packets/s = "
          f"{(packets1 - packets0) / wall / max(1, live):.2f} a call")
    print(f"  held PSS: {pss_line(pss)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", "--processes", type=int, default=1)
    parser.add_argument("--calls", type=int, help="default 4 x K")
    parser.add_argument("--hold", type=float, default=10.0, help="seconds of silence a call")
    parser.add_argument("--window", type=float, default=5.0, help="seconds measured")
    parser.add_argument("--rate", type=float, help="calls/s while setting up (default N/8)")
    parser.add_argument("--sip", type=int, default=26000)
    parser.add_argument("--admin", type=int, default=26500)
    parser.add_argument("--media", type=int, default=13000)
    parser.add_argument("--ear", type=int, default=24200, help="the callers' RTP port")
    parser.add_argument("--ports-per-worker", type=int, default=40)
    args = parser.parse_args()
    args.calls = args.calls or 4 * args.processes
    if args.window + args.calls / (args.rate or max(5.0, args.calls / 8)) + 3 > args.hold:
        parser.error("--hold must outlast the set-up and the window")
    if args.hold > 55:
        parser.error("--hold must end before the flow's 60 s timeout")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # unwind and clean up
    with tempfile.TemporaryDirectory(prefix="held-silent-") as folder:
        workdir = Path(folder)
        plans = workdir / "plans"
        plans.mkdir()
        (plans / "held.dialplan").write_text(PLAN)
        service = Service(plans, workdir, args.processes, args.sip, args.admin, args.media,
                          "WARNING", args.ports_per_worker)
        try:
            print(f"held silent calls: K={args.processes}, {args.calls} calls", flush=True)
            service.start()
            measure(service, args)
        finally:
            service.stop()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: every process this run started is stopped")
