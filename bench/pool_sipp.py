"""bench/pool_load.py's callers: SIPp scenarios (generated, like tests/support/scenarios.py),
a bounded SIPp run in the background, its figures, and the kernel's UDP socket counters
that show RTP arriving (/proc/net/udp: a socket nobody reads counts each packet it
receives once full as a drop).
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.engine.sipp import HEAD, PCAPS
from tests.support.scenarios import RECV_BYE, ROUTED_ACK, press_then_server_hangs_up

ANSWERED = '  <recv response="180" optional="true"/>\n' \
           '  <recv response="200" rtd="true" rrs="true"/>\n' + ROUTED_ACK

# A caller's BYE through a record-routing proxy: to the route set, like the ACK.
ROUTED_BYE = """  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
[routes]
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
"""


def tolerant(scenario: str) -> str:
    """Let a late 100 or 180 pass at any point of the call: Kamailio's two UDP processes
    may relay a worker's 180 after its 200 under load, and SIPp would abort the call on
    it as unexpected, though any real phone ignores it."""
    for code in ("100", "180"):
        scenario = scenario.replace(f'<recv response="{code}" optional="true"/>',
                                    f'<recv response="{code}" optional="global"/>')
    return scenario


def play(pcap: str) -> str:
    return f'  <nop><action><exec play_pcap_audio="{PCAPS / pcap}"/></action></nop>\n'


def demo_call() -> str:
    """The whole demo flow: welcome, menu, 1 pressed at 3 s, goodbye, the service's BYE."""
    return tolerant(press_then_server_hangs_up("1", 3000))


def short_call(hold_ms: int) -> str:
    """Into the demo, hang up `hold_ms` after the answer (during the welcome)."""
    return tolerant(HEAD.format(name="short") + ANSWERED + f'  <pause milliseconds="{hold_ms}"/>\n'
                    + ROUTED_BYE + "</scenario>\n")


def hold_call(seconds: int) -> str:
    """For bench/plans/hold.dialplan: offer PCMA, talk (g711a.pcap, 7.08 s, again and
    again) while the service plays hold music, press 1 after `seconds`, and expect the
    service's BYE. The 1 travels as RTP on the same stream: if it is heard, the caller's
    audio reached the service. Loops are 7.1 s apart so two plays never interleave (one
    SSRC at a time, or the receiver drops packets as out of order)."""
    head = HEAD.format(name="hold").replace("RTP/AVP 0 101\na=rtpmap:0 PCMU/8000",
                                            "RTP/AVP 8 101\na=rtpmap:8 PCMA/8000")
    loops, rest = divmod(seconds * 1000, 7100)
    body = ANSWERED + (play("g711a.pcap") + '  <pause milliseconds="7100"/>\n') * loops
    body += f'  <pause milliseconds="{max(rest, 200)}"/>\n' + play("dtmf_2833_1.pcap") + RECV_BYE
    return tolerant(head + body + "</scenario>\n")


@dataclass
class Sipp:
    """One bounded SIPp run in the background (127.0.0.1 only)."""
    scenario: str
    workdir: Path
    target: int  # the proxy's SIP port
    calls: int
    limit: int
    rate: float
    timeout: float
    local: int = 24000
    media: int = 24100
    rtt: bool = False
    process: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        path = self.workdir / "scenario.xml"
        path.write_text(self.scenario)
        extra = ["-trace_rtt", "-rtt_freq", "1", "-trace_msg", "-message_file",
                 str(self.workdir / "messages.log")] if self.rtt else []
        return ["sipp", f"127.0.0.1:{self.target}", "-sf", str(path), "-s", "100",
                "-i", "127.0.0.1", "-p", str(self.local), "-mi", "127.0.0.1",
                "-mp", str(self.media), "-m", str(self.calls), "-l", str(self.limit),
                "-r", f"{self.rate:g}", "-recv_timeout", "20000", "-timeout",
                f"{int(self.timeout)}s", "-timeout_error", "-nostdin", *extra]

    def start(self) -> Sipp:
        for old in self.workdir.glob("scenario_*"):
            old.unlink()
        self.process = subprocess.Popen(self.command(), cwd=self.workdir, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return self

    def wait(self) -> Result:
        assert self.process is not None
        try:
            out, _ = self.process.communicate(timeout=self.timeout + 30)
        finally:
            self.stop()
        rtts = []
        for csv in self.workdir.glob("scenario_*_rtt.csv"):
            rtts += [float(line.split(";")[1]) for line in csv.read_text().splitlines()[1:]
                     if line.count(";") >= 2]
        return Result(out, rtts, answer_times(self.workdir / "messages.log"))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass
class Result:
    out: str
    rtts: list[float]  # SIPp's rtd in ms (its clock ticks in 4 ms steps here)
    answers: list[float]  # INVITE sent -> 200 received in ms, from the message log (us)

    def counter(self, name: str) -> int:
        found = re.findall(rf"{name}\s+\|\s+\d+\s+\|\s+(\d+)", self.out)
        return int(found[-1]) if found else -1

    @property
    def ok(self) -> int:
        return self.counter("Successful call")

    @property
    def failed(self) -> int:
        return self.counter("Failed call")

    @property
    def peak(self) -> int:
        found = re.findall(r"Peak was (\d+) calls", self.out)
        return int(found[-1]) if found else -1

    def why(self) -> str:
        """What SIPp said about its failed calls (it prints the first few in full)."""
        if self.failed == 0:
            return ""
        got = re.findall(r"received '(SIP/2.0 \d{3}[^\r\n']*|[A-Z]+ sip)", self.out)
        other = re.findall(r"\d: (.*timed out.*|.*Aborting call on [a-z ]+)", self.out)
        rows = re.findall(r"^ +(\S+) <-+ +(?:E-RTD\d+ +)?(\d+) +\d+ +(\d+) +(\d+)", self.out, re.M)
        stuck = [f"{name} received {n}, timed out {t}, unexpected {u}"
                 for name, n, t, u in rows[-12:] if int(t) or int(u)]
        return "first errors: " + "; ".join(dict.fromkeys(got + other + stuck))


def answer_times(log: Path) -> list[float]:
    """INVITE -> 200 OK per call in ms, from SIPp's message log: each message is logged
    with a microsecond timestamp when sent or received."""
    sent: dict[str, float] = {}
    times = []
    with contextlib.suppress(OSError):
        for block in log.read_text(errors="replace").split("-" * 47 + " ")[1:]:
            lines = block.splitlines()
            stamp = datetime.strptime(lines[0].strip(), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            start = next((x for x in lines[1:] if x.strip() and "message" not in x), "")
            call = next((x.split(":", 1)[1].strip() for x in lines if x.startswith("Call-ID:")),
                        "")
            cseq = next((x for x in lines if x.startswith("CSeq:")), "")
            if start.startswith("INVITE ") and call not in sent:
                sent[call] = stamp
            elif start.startswith("SIP/2.0 200") and cseq.endswith("INVITE") and call in sent:
                times.append((stamp - sent.pop(call)) * 1000)
    return times


def udp_sockets(low: int, high: int) -> tuple[int, int, int]:
    """(sockets, bytes queued, drops) over UDP sockets bound to ports low..high."""
    count = queued = drops = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
            fields = line.split()
            port = int(fields[1].split(":")[1], 16)
            if low <= port <= high:
                count += 1
                queued += int(fields[4].split(":")[1], 16)
                drops += int(fields[-1])
    return count, queued, drops


def udp_totals() -> dict[str, int]:
    rows = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines()
            if line.startswith("Udp:")]
    return dict(zip(rows[0][1:], map(int, rows[1][1:]), strict=True))
