"""Benchmark: CPU per call of one `dialplan serve` worker running the IVR flow.

    .venv/bin/python bench/cpu_per_call.py [--runs 3] [--calls 40] [--rate 2]
        [--pause 1500] [--profile out.txt]

The flow (the one measured against Asterisk in issue 15): answer, play a 0.72 s
"Press one." WAV (8 kHz), collect one digit (15 s timeout), hang up on 1. SIPp is the
caller: INVITE (PCMU + telephone-event), ACK, RFC 2833 '1' after ``--pause`` ms,
expect the BYE. One process (``--processes 0``: no Kamailio), so the figure is the
worker's own: utime+stime of the process (all its threads) read before SIPp starts
and after it exits, over completed calls. Per run it also prints each thread's share,
voluntary context switches per call (each a thread going to sleep and being woken:
the cost of hopping between threads), answer p50/p95/max (INVITE -> 200) and
DTMF -> BYE p50/p95/max (ACK -> BYE minus the pause), from SIPp's RTD trace (whole
ms). ``--profile FILE`` runs ``py-spy record`` (Python frames) on the worker during
an extra first run, not counted (raw collapsed stacks, as py-spy's ``-f raw``).
Needs ``sipp`` (Debian sip-tester) and ``espeak-ng``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.peer_flow import PLAN, make_prompt  # noqa: E402
from tests.engine.sipp import PCAPS  # noqa: E402
from tests.engine.support import free_port_block  # noqa: E402
from tests.support.harness import Server  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="ivr-uac">
  <send retrans="500" start_rtd="1"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
a=sendrecv
]]></send>
  <recv response="100" optional="global"/>
  <recv response="180" optional="global"/>
  <recv response="183" optional="global"/>
  <recv response="200" rtd="1" rrs="true"/>
  <send start_rtd="2"><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
[routes]
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  <pause/>
  <nop><action><exec play_pcap_audio="PCAP"/></action></nop>
  <recv request="BYE" timeout="10000" rtd="2"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
Content-Length: 0
]]></send>
</scenario>
"""


def threads(pid: int) -> dict[str, tuple[float, int]]:
    """Per thread id: (CPU seconds, voluntary context switches: the thread slept)."""
    found: dict[str, tuple[float, int]] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
            status = (task / "status").read_text()
        except OSError:
            continue
        name = task.name
        fields = stat.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        found_switches = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M)
        switches = int(found_switches.group(1)) if found_switches else 0
        old = found.get(name, (0.0, 0))
        found[name] = (old[0] + cpu, old[1] + switches)
    return found


def rtds(path: Path) -> dict[str, list[float]]:
    """SIPp's -trace_rtt file: response times (ms, whole ms) per RTD."""
    times: dict[str, list[float]] = {}
    if not path.exists():
        return times
    for line in path.read_text().splitlines()[1:]:
        parts = line.split(";")
        if len(parts) >= 3:
            times.setdefault(parts[2].strip(), []).append(float(parts[1]))
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if values else 0


def one_run(server: Server, workdir: Path, args: argparse.Namespace, profile: str) -> dict:
    scenario = workdir / "ivr.xml"
    scenario.write_text(SCENARIO.replace("PCAP", str(PCAPS / "dtmf_2833_1.pcap")))
    for old in workdir.glob("ivr_*_rtt.csv"):
        old.unlink()
    pid = server.process.pid
    before, started = threads(pid), time.monotonic()
    spy = None
    if profile:
        spy = subprocess.Popen(["py-spy", "record", "--nonblocking", "-r", "500",
                                "-f", "raw", "-o", profile, "-p", str(pid)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    command = ["sipp", f"127.0.0.1:{server.sip_port}", "-sf", str(scenario), "-s", "100",
               "-d", str(args.pause), "-i", "127.0.0.1", "-p", str(free_port_block(1)),
               "-mi", "127.0.0.1", "-mp", str(free_port_block(4)), "-r", str(args.rate),
               "-m", str(args.calls), "-l", "4", "-timeout", f"{args.calls // args.rate + 60:.0f}s",
               "-nostdin", "-trace_stat", "-trace_rtt", "-rtt_freq", "1"]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    after = threads(pid)
    if spy is not None:
        spy.send_signal(2)
        spy.wait(30)
    ok = re.search(r"Successful call\s+\|\s+\d+\s+\|\s+(\d+)", done.stdout)
    failed = re.search(r"Failed call\s+\|\s+\d+\s+\|\s+(\d+)", done.stdout)
    calls = int(ok.group(1)) if ok else 0
    per_thread = {name: after[name][0] - before.get(name, (0.0, 0))[0] for name in after}
    switches = sum(v[1] for v in after.values()) - sum(v[1] for v in before.values())
    times = rtds(next(iter(workdir.glob("ivr_*_rtt.csv")), workdir / "none"))
    dtmf = [t - args.pause for t in times.get("2", [])]
    return {"calls": calls, "failed": int(failed.group(1)) if failed else -1,
            "cpu_ms": 1000 * sum(per_thread.values()) / max(1, calls), "elapsed": elapsed,
            "threads": {k: 1000 * v / max(1, calls) for k, v in per_thread.items() if v > 0},
            "switches": switches / max(1, calls),
            "answer": (pct(times.get("1", []), 50), pct(times.get("1", []), 95),
                       max(times.get("1", [0]))),
            "dtmf": (pct(dtmf, 50), pct(dtmf, 95), max(dtmf or [0]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--rate", type=float, default=2.0, help="calls/s (one process: <= 4 up)")
    parser.add_argument("--pause", type=int, default=1500, help="ms from ACK to the digit")
    parser.add_argument("--profile", default="", help="py-spy raw output of an extra run")
    parser.add_argument("--no-admin", action="store_true", help="no admin endpoint (no traces)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "plans").mkdir()
        (workdir / "plans" / "ivr.dialplan").write_text(PLAN)
        (workdir / "prompts" / "en").mkdir(parents=True)
        make_prompt(workdir / "prompts" / "en" / "press_one.wav")
        extra = ["--processes", "0", "--log-level", "INFO"]
        server = Server(workdir / "plans", workdir, extra, prompts=workdir / "prompts")
        try:
            time.sleep(1.0)
            if args.profile:  # a run of its own: py-spy's pauses cost the worker time
                report(-1, one_run(server, workdir, args, args.profile))
            results = []
            for run in range(args.runs):
                results.append(one_run(server, workdir, args, ""))
                report(run, results[-1])
            cpu = [r["cpu_ms"] for r in results] or [0.0]
            print(f"CPU per call: median {statistics.median(cpu):.2f} ms, "
                  f"min {min(cpu):.2f}, max {max(cpu):.2f} ({len(cpu)} runs)")
        finally:
            server.stop()


def report(run: int, r: dict) -> None:
    top = sorted(r["threads"].values(), reverse=True)
    shares = " + ".join(f"{v:.2f}" for v in top[:3]) + (" + ..." if len(top) > 3 else "")
    print(f"run {run}: {r['calls']} calls ({r['failed']} failed) in {r['elapsed']:.1f} s: "
          f"CPU {r['cpu_ms']:.2f} ms/call [threads {shares}], {r['switches']:.0f} sleeps/call, "
          "answer p50/p95/max {:.0f}/{:.0f}/{:.0f} ms, ".format(*r["answer"]) +
          "DTMF->BYE p50/p95/max {:.0f}/{:.0f}/{:.0f} ms".format(*r["dtmf"]), flush=True)


if __name__ == "__main__":
    main()
