"""Extension-to-extension call set-up through the service: `dialplan serve` with a
directory (so Kamailio is registrar and edge, one engine process behind it), phone 202
registered (a SIPp UAS on 127.0.0.4 that rings, then answers 486 Busy), phone 201 (SIPp
on 127.0.0.2) calling it with digest authentication at a given rate. Measured per call
at 201: the time from its authenticated INVITE to the 180 Ringing that 202's ring
produces, relayed back through Kamailio, the engine (the plan's `dial extension`) and
Kamailio again. Reported: p50/p95/max and the calls that got no 180.

    python bench/extension_calls.py --calls 100 --rate 10
    python bench/extension_calls.py --calls 500 --rate 50 --processes 2 --limit 4

One engine process holds 4 calls and a bridged or ringing call holds 2 of them (the
caller's leg and the dialled one), so the calls are short (202 is busy) and the rate
is what one process can carry; everything on 127.0.0.x, bounded in count and time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dialplan.directory import Extension, open_directory, upgrade  # noqa: E402
from dialplan.directory.database import sqlite_url  # noqa: E402
from tests.dialplan.proxy.registrar_kit import register  # noqa: E402
from tests.engine.support import free_port_block  # noqa: E402
from tests.support.harness import serving  # noqa: E402

PASSWORD = "bench-password-1"
PLAN = """route _2XX -> ring
flow ring {
  start:
    dial extension "{{ called }}" timeout 5s
    hangup cause busy
}
"""
SDP = """v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
"""
INVITE = """INVITE sip:202@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:201@[remote_ip]:[remote_port]>;tag=[call_number]
To: <sip:202@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: {cseq} INVITE
Contact: <sip:201@[local_ip]:[local_port]>
Max-Forwards: 70
{auth}Content-Type: application/sdp
Content-Length: [len]

""" + SDP
ACK = """ACK sip:202@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:201@[remote_ip]:[remote_port]>;tag=[call_number]
To: <sip:202@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} ACK
Max-Forwards: 70
Content-Length: 0

"""
AUTH = f"[authentication username=201 password={PASSWORD}]\n"
CALLER = f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="201 calls 202">
  <send><![CDATA[
{INVITE.format(cseq=1, auth="")}]]></send>
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  <send><![CDATA[
{ACK.format(cseq=1)}]]></send>
  <send start_rtd="setup"><![CDATA[
{INVITE.format(cseq=2, auth=AUTH)}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" rtd="setup"/>
  <recv response="486"/>
  <send><![CDATA[
{ACK.format(cseq=2)}]]></send>
</scenario>
"""
CALLEE = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="202 rings, then is busy">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:202@[local_ip]:[local_port]>
Content-Length: 0

]]></send>
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <recv request="ACK"/>
</scenario>
"""


def sipp(folder: Path, name: str, scenario: str, args: list[str]) -> list[str]:
    path = folder / f"{name}.xml"
    path.write_text(scenario)
    return ["sipp", "-sf", str(path), "-nostdin", "-timeout_error", *args]


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1]


def setup_times(folder: Path) -> list[float]:
    """Each call's INVITE -> 180 in ms, from SIPp's -trace_rtt file."""
    times = []
    for path in folder.glob("caller_*_rtt.csv"):
        for line in path.read_text().splitlines()[1:]:
            fields = line.split(";")
            if len(fields) >= 3 and fields[2].strip() == "setup":
                times.append(float(fields[1]))
    return times


def run(args: argparse.Namespace, folder: Path) -> None:
    upgrade(url := sqlite_url(folder / "var" / "dialplan.db"))
    directory = open_directory(url)
    for number in ("201", "202"):
        directory.add(Extension(number), PASSWORD)
    directory.close()
    plans = folder / "plans"
    plans.mkdir()
    (plans / "bench.dialplan").write_text(PLAN)
    timeout = args.calls / args.rate + 30
    with serving(plans, folder, extra=["--processes", str(args.processes)]) as server:
        phone = free_port_block(1)
        registered = register(server.sip_port, "127.0.0.4", [("202", PASSWORD)], folder,
                              local=phone)
        assert "Successful call" in registered.stdout, registered.stdout[-2000:]
        callee = subprocess.Popen(
            sipp(folder, "callee", CALLEE, ["-i", "127.0.0.4", "-p", str(phone),
                                            "-m", str(args.calls),
                                            "-timeout", f"{int(timeout)}s"]),
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        caller = subprocess.run(
            sipp(folder, "caller", CALLER, [
                f"127.0.0.1:{server.sip_port}", "-i", "127.0.0.2",
                "-p", str(free_port_block(1)), "-m", str(args.calls),
                "-r", str(args.rate), "-l", str(args.limit), "-trace_rtt", "-rtt_freq", "1",
                "-timeout", f"{int(timeout)}s"]),
            cwd=folder, capture_output=True, text=True, timeout=timeout + 15, check=False)
        wall = time.monotonic() - start
        try:
            callee.wait(timeout=15)
        except subprocess.TimeoutExpired:
            callee.kill()
            callee.wait()
    times = setup_times(folder)
    missing = args.calls - len(times)
    if len(times) < 2:
        print(caller.stdout[-3000:])
        return
    print(f"INVITE -> 180: p50 {percentile(times, 50):.1f} ms, p95 "
          f"{percentile(times, 95):.1f} ms, max {max(times):.1f} ms over {len(times)} "
          f"calls; {missing} without a 180; {args.calls / wall:.1f} calls/s reached")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--limit", type=int, default=2, help="calls at once at most "
                        "(2 bridged legs each: one engine process holds 4)")
    parser.add_argument("--processes", type=int, default=1,
                        help="engine processes behind Kamailio (raise --limit with it)")
    args = parser.parse_args()
    print(f"{args.calls} calls 201 -> 202 at {args.rate:g}/s, at most {args.limit} at "
          f"once, {args.processes} engine processes, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="extension-calls-") as name:
        run(args, Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
