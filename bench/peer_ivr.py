"""The measuring stick of issue 15: the side-by-side IVR of ../shared/notes/asterisk-peer.md
against `dialplan serve --processes K` behind its Kamailio, on 127.0.0.1 only.

    .venv/bin/python bench/peer_ivr.py --processes 8 --rate 50 --seconds 30
    .venv/bin/python bench/peer_ivr.py --processes 60 --held 200

The flow: answer, play a 0.72 s "Press one." (espeak-ng -s 200, 8 kHz), collect one
digit (timeout 15 s), hang up on 1, else wait 12 s. The caller (bench/peer_ivr_uac.xml,
SIPp) sends an RFC 2833 '1' `-d` ms after its ACK (1.5 s in rate mode, 10 s held) and
expects the service's BYE within 10 s.

Printed: completed / failed (by reason: a SIP status, or a timeout), **lost digits**
(calls whose BYE did not come within 10 s of the '1': the flow never heard it; and
"late" ones whose BYE came more than 1 s after the '1'), answer p50/p95 (INVITE -> 200
from SIPp's message log, microseconds), CPU per completed call over the server's whole
process tree (utime+stime+cutime+cstime of supervisor, workers, Kamailio, read before
SIPp starts and after it exits), and in held mode the tree's PSS with every call up.
Every run is bounded (SIPp's -m and -timeout) and every process started is stopped.
"""

from __future__ import annotations

import argparse
import math
import resource
import shlex
import shutil
import signal
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peer_flow import PLAN, make_prompt
from bench.peer_sipp import PeerRun, quantiles
from bench.pool_proc import Service, pss_kib

HERE = Path(__file__).resolve().parent


def cpu_line(spent: dict[str, float], completed: int, wall: float) -> str:
    total = sum(spent.values())
    parts = ", ".join(f"{k} {v / max(completed, 1) * 1000:.2f}" for k, v in sorted(spent.items()))
    per = f"{total / completed * 1000:.2f} ms/call ({parts})" if completed else "no call done"
    return f"  CPU per call: {per}; the tree used {total / wall * 100:.0f}% of a core"


COUNTED = {"dialplan_pool_proxy_refused_calls": "calls the proxy refused (503)",
           "dialplan_pool_proxy_refused_offers": "offers a busy process refused",
           "dialplan_digits_dropped": "digits dropped",
           "dialplan_prompts_overdue": "prompts never reported finished"}


def service_counts(service: Service) -> str:
    """The refusals and dropped digits on the pool's /metrics (since it started)."""
    token = (service.workdir / "admin" / "read.token").read_text().strip()
    request = urllib.request.Request(f"http://127.0.0.1:{service.admin}/metrics",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            text = reply.read().decode()
    except OSError as error:
        return f"no /metrics ({error})"
    found = {family.name: sum(s.value for s in family.samples if s.name.endswith("_total"))
             for family in text_string_to_metric_families(text) if family.name in COUNTED}
    return ", ".join(f"{label} {found[name]:g}" if name in found else f"{label} n/a"
                     for name, label in COUNTED.items())


def caller_sent_nothing(service: Service, mark: int) -> int:
    """Calls the engine hung up without a single RTP packet from the caller (the log
    since byte `mark`): SIPp now and then plays no pcap at all (tcpdump showed no packet
    to the call's port), which is the caller's loss, not the service's."""
    with (service.workdir / "serve.log").open("rb") as log:
        log.seek(mark)
        return log.read().decode(errors="replace").count("hung up without any RTP received")


def measure(service: Service, run: PeerRun, sample_at: float | None) -> None:
    """One SIPp run against the service, with its figures printed."""
    before, mark = service.cpu(), service.log_size()
    print("  $", shlex.join(run.command()), flush=True)
    started = time.monotonic()
    run.start()
    pss = 0.0
    try:
        if sample_at is not None:
            time.sleep(sample_at)
            live = service.live_calls()
            pss = sum(pss_kib(p.pid) for p in service.remember()) / 1024
            print(f"  plateau: {live} live calls, PSS of the tree {pss:.0f} MiB "
                  f"({pss / max(live, 1):.2f} MiB a call)", flush=True)
        result = run.wait()
    finally:
        run.stop()
    wall = time.monotonic() - started
    after = service.cpu()
    spent = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    print(f"  completed {result.completed}, failed {result.failed} of {run.calls}"
          f" {result.failures or ''}")
    silent = caller_sent_nothing(service, mark)
    print(f"  lost digits: {result.lost_digits} (no BYE within 10 s of the '1'; calls where "
          f"the caller's RTP never came at all: {silent}, SIPp's play_pcap_audio sent "
          f"nothing, seen on the wire); late: "
          f"{result.late_digits} (BYE > 1 s after the '1'); '1'->BYE p50/p95 "
          f"{quantiles(result.after_digit)}")
    print(f"  answer p50/p95: {quantiles(result.answers)} ({len(result.answers)} answers)")
    print(cpu_line(spent, result.completed, wall), flush=True)
    print(f"  the service counted: {service_counts(service)}")
    if result.failed:
        print(f"  the service's warnings meanwhile: {service.problems(0)}")
        kept = run.keep()
        print(f"  SIPp's error log is kept: {kept}")


def start_service(plans: Path, workdir: Path, args: argparse.Namespace) -> Service:
    """The pool on the ports asked for, or (other engineers' runs take ports too) on
    ports further up."""
    span = args.ports_per_worker * args.processes
    for step in range(6):
        media = 8000 + (args.media - 8000 + step * span) % 24000  # below the ephemeral ports
        service = Service(plans, workdir, args.processes, args.sip + step * 100,
                          args.admin + step * 100, media, args.log_level,
                          args.ports_per_worker, prompts=plans / "prompts")
        try:
            return service.start()
        except RuntimeError as error:
            if "ports in use" not in str(error):
                raise
            print(f"  {error}; trying ports further up", flush=True)
    raise RuntimeError("no free ports for the pool")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", "-k", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0.0, help="calls/s for --seconds")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--held", type=int, default=0, help="calls held 10 s at once")
    parser.add_argument("--sip", type=int, default=27000)
    parser.add_argument("--admin", type=int, default=27500)
    parser.add_argument("--media", type=int, default=17000)
    parser.add_argument("--ports-per-worker", type=int, default=64,
                        help="RTP ports a worker (32 is plenty for these calls)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args()
    if not args.rate and not args.held:
        parser.error("choose --rate R or --held L")
    if not shutil.which("sipp") or not shutil.which("espeak-ng"):
        sys.exit("needs sipp (Debian sip-tester) and espeak-ng")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # unwind and clean up
    with tempfile.TemporaryDirectory(prefix="peer-ivr-") as folder:
        workdir = Path(folder)
        plans = workdir / "plans"
        plans.mkdir()
        (plans / "peer.dialplan").write_text(PLAN)
        seconds = make_prompt(plans / "prompts" / "en" / "press_one.wav")
        service = start_service(plans, workdir, args)
        try:
            print(f"K={args.processes}, prompt {seconds:.2f} s; $ {shlex.join(service.command)}")
            if args.rate:
                rate = args.rate
                calls = int(rate * args.seconds)
                run = PeerRun(workdir, service.sip, calls, limit=int(10 * rate + 10), rate=rate,
                              pause_ms=1500, timeout=90)
                print(f"rate: {rate:g} calls/s for {args.seconds} s", flush=True)
                measure(service, run, None)
                service.settle()
            if args.held:
                held = args.held
                ramp = math.ceil(held / 8)
                run = PeerRun(workdir, service.sip, 2 * held, limit=held, rate=ramp,
                              pause_ms=10000, timeout=150)
                print(f"held: {held} calls held 10 s", flush=True)
                measure(service, run, held / ramp + 1.0)
        finally:
            service.stop()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: every process this run started is stopped")
