"""Load benchmark: `dialplan serve --processes K` behind Kamailio, called by SIPp on
127.0.0.1 (not run in CI; minutes of full load on the machine).

    .venv/bin/python bench/pool_load.py --idle 60 -k 100
    .venv/bin/python bench/pool_load.py --rate 20,30,40,50,60,70 --seconds 30 -k 90
    .venv/bin/python bench/pool_load.py --rate 50,100,150,200,250,300 --hold-ms 500 \
        --seconds 20 -k 80
    .venv/bin/python bench/pool_load.py --latency 200 --hold-ms 500 --seconds 20 -k 60
    .venv/bin/python bench/pool_load.py --concurrent 200,300,400,500,600 --seconds 30 -k 170

--idle S: CPU (utime+stime over S seconds) and PSS of each process of the service:
  supervisor, workers, kamailio (all its processes), anything else below the supervisor.
--rate R1,R2..: SIPp offers each rate for --seconds (R x seconds calls), steps up and
  stops at the first step with a failed call; the answer is the highest step with 0
  failed. Calls run the whole demo flow (examples/dialplans/demo.dialplan: welcome, menu,
  1 pressed at 3 s, goodbye, the service hangs up; ~4.6 s), or with --hold-ms the caller
  hangs up that long after the answer (set-up bound). Each step prints the service's
  CPU seconds per completed call (every process below the supervisor, reaped ones too).
--latency R: INVITE to 200 OK through Kamailio as SIPp sees it at R calls/s for
  --seconds: p50/p95/p99/max from SIPp's message log (microsecond timestamps), and SIPp's
  own rtd for comparison (its clock moves in 4 ms steps on this kernel, HZ=250).
--concurrent N1,N2..: N calls on bench/plans/hold.dialplan (hold music from the service,
  the caller talking g711a.pcap in a loop), set up within ~10 s, each held --seconds;
  then the caller presses 1 and the service says goodbye and hangs up. 0 failed means
  every call was held and its 1, sent on the caller's RTP stream, was heard. At the
  plateau it counts live calls and RTP for 5 s: service -> caller from the drops of
  SIPp's unread media socket (/proc/net/udp), caller -> service from the host's delivered
  UDP datagrams (/proc/net/snmp) and the drops/queues of the workers' RTP sockets.
K defaults to what the load needs at 90% of 4 calls a process. Every step prints the
commands it ran; every process started is stopped, also on Ctrl-C or an error. A step
with failed calls also prints the service's warnings and errors, the workers whose admin
endpoint no longer answers (their threads' stacks dumped with gdb into /tmp), and keeps
the service's log in /tmp.
"""

from __future__ import annotations

import argparse
import math
import resource
import shlex
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_proc import ROOT, Service, pss_kib, role, tree
from bench.pool_sipp import Result, Sipp, demo_call, hold_call, short_call

PER_PROCESS = 3.6  # calls a worker is planned for: 90% of the wheel's 4
DEMO_SECONDS = 5.0  # the demo call's length, with a margin


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(service: Service, sipp: Sipp, during: Callable[[], None] | None = None
        ) -> tuple[Result, dict[str, float], float]:
    """SIPp to the end; (result, service CPU seconds by role, SIPp's CPU seconds)."""
    before, sipp_before, mark = service.cpu(), children_cpu(), service.log_size()
    print("  $", shlex.join(sipp.command()), flush=True)
    try:
        sipp.start()
        if during is not None:
            during()
        result = sipp.wait()
    finally:
        sipp.stop()
    after = service.cpu()
    spent = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    if result.failed:
        print(f"    the service's warnings and errors meanwhile: {service.problems(mark)}")
        print(f"    workers not answering /healthz: {service.stuck()}", flush=True)
    return result, spent, children_cpu() - sipp_before


def cpu_line(spent: dict[str, float], sipp_cpu: float, calls: int, wall: float) -> str:
    total = sum(spent.values())
    parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(spent.items()))
    per = f"{total / calls * 1000:.1f} ms CPU/call" if calls > 0 else "no call completed"
    return (f"    service CPU {total:.1f} s ({parts}) = {per}; {total / wall * 100:.0f}% of a "
            f"core over {wall:.0f} s; SIPp {sipp_cpu:.1f} s")


def idle(service: Service, seconds: float) -> None:
    time.sleep(10)  # start-up done, Kamailio's probes under way
    assert service.process is not None
    root = service.process.pid
    first = {p.pid: p for p in tree(root)}
    time.sleep(seconds)
    rows: dict[str, list[tuple[float, float]]] = {}
    for proc in tree(root):
        if proc.pid in first and first[proc.pid].start == proc.start:
            busy = (proc.cpu - first[proc.pid].cpu) / seconds * 100
            rows.setdefault(role(proc, root), []).append((busy, pss_kib(proc.pid) / 1024))
    for name, values in sorted(rows.items()):
        used, pss = [v[0] for v in values], [v[1] for v in values]
        print(f"  {name}: {len(values)} process(es), CPU {sum(used):.2f}% of a core in all "
              f"(mean {statistics.mean(used):.3f}%, max {max(used):.3f}%), PSS "
              f"{sum(pss):.1f} MiB in all (mean {statistics.mean(pss):.1f} MiB)")


def rates(service: Service, steps: list[float], seconds: int, hold_ms: int) -> None:
    scenario, best = short_call(hold_ms) if hold_ms else demo_call(), 0.0
    for rate in steps:
        calls = int(rate * seconds)
        sipp = Sipp(scenario, service.workdir, service.sip, calls, calls, rate, seconds + 60)
        started = time.monotonic()
        result, spent, sipp_cpu = run(service, sipp)
        wall = time.monotonic() - started
        print(f"  {rate:g} calls/s for {seconds} s: {result.ok} ok, {result.failed} failed "
              f"of {calls}, peak {result.peak} concurrent  {result.why()}")
        print(cpu_line(spent, sipp_cpu, result.ok, wall), flush=True)
        service.settle()
        if result.failed != 0 or result.ok != calls:
            break
        best = rate
    print(f"  highest sustained rate with 0 failed: {best:g} calls/s")


def latency(service: Service, rate: float, seconds: int, hold_ms: int) -> None:
    calls = int(rate * seconds)
    sipp = Sipp(short_call(hold_ms) if hold_ms else demo_call(), service.workdir, service.sip,
                calls, calls, rate, seconds + 60, rtt=True)
    started = time.monotonic()
    result, spent, sipp_cpu = run(service, sipp)
    wall = time.monotonic() - started
    for name, values in (("message log, us", result.answers), ("SIPp rtd, 4 ms ticks",
                                                                 result.rtts)):
        if len(values) < 2:
            print(f"  {name}: no answer times recorded")
            continue
        q = statistics.quantiles(values, n=100, method="inclusive")
        print(f"  answer latency at {rate:g} calls/s ({name}; {len(values)} answers): p50 "
              f"{q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {max(values):.1f} ms")
    print(f"  {result.ok} ok, {result.failed} failed of {calls}, peak {result.peak} "
          f"concurrent  {result.why()}")
    print(cpu_line(spent, sipp_cpu, result.ok, wall), flush=True)


def concurrent(service: Service, counts: list[int], seconds: int) -> None:
    best = 0
    for count in counts:
        ramp = max(5.0, count / 10)
        sipp = Sipp(hold_call(seconds), service.workdir, service.sip, count, count, ramp,
                    seconds + 60)
        seen: dict[str, float] = {}

        def plateau(sipp: Sipp = sipp, wait: float = count / ramp + 3,
                    seen: dict[str, float] = seen) -> None:
            time.sleep(wait)
            if sipp.process is not None and sipp.process.poll() is None:
                seen.update(service.sample(sipp.media))

        started = time.monotonic()
        result, spent, sipp_cpu = run(service, sipp, plateau)
        wall = time.monotonic() - started
        print(f"  {count} calls held {seconds} s: {result.ok} ok, {result.failed} failed, "
              f"peak {result.peak} in SIPp  {result.why()}")
        if seen:
            live = max(1.0, seen["live"])
            print(f"    at the plateau: {seen['live']:.0f} live calls in the service; RTP to "
                  f"the caller {seen['to_caller']:.0f} packets/s = {seen['to_caller'] / live:.1f}"
                  f" a call (50 sent); UDP delivered on the host {seen['udp_in']:.0f}/s = "
                  f"{seen['udp_in'] / live:.1f} a call (the caller's RTP: 33.3 sent, plus SIP); "
                  f"the service's {seen['sockets']:.0f} RTP sockets: {seen['service_drops']:.0f}"
                  f" drops, {seen['queued']:.0f} bytes queued; PSS {seen['pss']:.0f} MiB")
        print(cpu_line(spent, sipp_cpu, result.ok, wall), flush=True)
        service.settle()
        if result.failed != 0 or result.ok != count:
            break
        best = count
    print(f"  most concurrent calls held {seconds} s with audio and 0 failed: {best}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle", type=float, metavar="SECONDS")
    parser.add_argument("--rate", metavar="R1,R2,...")
    parser.add_argument("--latency", type=float, metavar="RATE")
    parser.add_argument("--concurrent", metavar="N1,N2,...")
    parser.add_argument("--seconds", type=int, default=30, help="per step (default 30)")
    parser.add_argument("--hold-ms", type=int, default=0,
                        help="--rate/--latency: caller hangs up this long after the answer")
    parser.add_argument("-k", "--processes", type=int, help="engine processes (default: "
                        "what the load needs)")
    parser.add_argument("--sip", type=int, default=25000)
    parser.add_argument("--admin", type=int, default=25500)
    parser.add_argument("--media", type=int, default=12000)
    parser.add_argument("--ports-per-worker", type=int, default=64)
    parser.add_argument("--log-level", default="INFO", help="the service's (default INFO)")
    args = parser.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # unwind and clean up

    length = args.hold_ms / 1000 + 0.3 if args.hold_ms else DEMO_SECONDS
    jobs = []
    if args.idle:
        jobs.append(("idle", "demo", args.processes or 12, lambda s: idle(s, args.idle)))
    if args.rate:
        steps = [float(r) for r in args.rate.split(",")]
        need = math.ceil(max(steps) * length / PER_PROCESS)
        jobs.append(("rate", "demo", args.processes or need,
                     lambda s: rates(s, steps, args.seconds, args.hold_ms)))
    if args.latency:
        need = math.ceil(args.latency * length / PER_PROCESS) + 2
        jobs.append(("latency", "demo", args.processes or need,
                     lambda s: latency(s, args.latency, args.seconds, args.hold_ms)))
    if args.concurrent:
        counts = [int(n) for n in args.concurrent.split(",")]
        jobs.append(("concurrent", "hold", args.processes or math.ceil(max(counts) /
                                                                        PER_PROCESS),
                     lambda s: concurrent(s, counts, args.seconds)))
    if not jobs:
        parser.error("choose at least one of --idle, --rate, --latency, --concurrent")
    for name, plan, processes, measure in jobs:
        with tempfile.TemporaryDirectory(prefix="pool-load-") as folder:
            workdir = Path(folder)
            plans = workdir / "plans"
            plans.mkdir()
            source = ROOT / ("examples/dialplans/demo.dialplan" if plan == "demo"
                             else "bench/plans/hold.dialplan")
            shutil.copy(source, plans)
            service = Service(plans, workdir, processes, args.sip, args.admin, args.media,
                              args.log_level, args.ports_per_worker)
            try:
                print(f"{name}: K={processes}, plan {source.relative_to(ROOT)}", flush=True)
                service.start()
                print("  $", shlex.join(service.command), flush=True)
                measure(service)
            finally:
                service.stop()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: every process this run started is stopped")
