"""Helpers for the per-action tests: SIPp as the *called* party (UAS) of a dial or a
queue, several SIPp callers at once, and each call's path read from the call log.

A UAS is one SIPp process on its own free port that takes a set number of calls
(`-m`, one unless told) and is bounded in time (`-timeout`); it is always killed at the
end, also when a test fails. Its exit code says whether the calls went the way its
scenario expects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialplan.prompts.cache import PromptCache
from dialplan.prompts.warm import fixed_prompts
from dialplan.runtime.plans import load_plan_set
from tests.engine.support import free_port_block
from tests.support.harness import Server, sipp, wait_for
from tests.support.scenarios import RECV_BYE

_UAS_HEAD = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="{name}">
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="caller"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="callee"/>
      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" assign_to="contact"/>
      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="invite_cseq"/>
      <ereg regexp="{from_user}" search_in="hdr" header="From:" check_it="true"
            assign_to="from_user"/>
    </action>
  </recv>
"""

_RESPONSE = """  <send{retrans}><![CDATA[
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:agent@[local_ip]:[local_port]>
Content-Length: 0
]]></send>
"""

_OK_WITH_SDP = """  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:agent@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=agent 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP {payload} 101
a=rtpmap:{rtpmap}
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
]]></send>
  <recv request="ACK" crlf="true"/>
"""

_BYE = """  <send retrans="500"><![CDATA[
BYE [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$callee];tag=[pid]SIPpTag01[call_number]
To: [$caller]
Call-ID: [call_id]
CSeq: 1 BYE
Contact: <sip:agent@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
"""

# The 487 answers the INVITE (its Via, From and Call-ID are the CANCEL's too).
_CANCELLED = """  <recv request="CANCEL"/>
""" + _RESPONSE.format(retrans="", status="200 OK") + """  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$invite_cseq] INVITE
Content-Length: 0
]]></send>
  <recv request="ACK"/>
"""

_END = """  <Reference variables="caller,callee,contact,invite_cseq,from_user"/>
</scenario>
"""


def answer_then_hang_up(ring_ms: int = 300, hold_ms: int = 3000,
                        speak_pcap: str | None = None) -> str:
    """Ring for `ring_ms`, answer (200 with SDP), stay `hold_ms`, then send BYE.

    With `speak_pcap` (PCMA, like sip-tester's g711a.pcap) the answer picks PCMA and
    that audio is played once answered: the callee talks."""
    sdp = (_OK_WITH_SDP.format(payload=8, rtpmap="8 PCMA/8000") if speak_pcap else
           _OK_WITH_SDP.format(payload=0, rtpmap="0 PCMU/8000"))
    talk = (f'  <nop><action><exec play_pcap_audio="{speak_pcap}"/></action></nop>\n'
            if speak_pcap else "")
    body = [_UAS_HEAD.format(name="uas-answer", from_user="sip:"),
            _RESPONSE.format(retrans="", status="180 Ringing"),
            f'  <pause milliseconds="{ring_ms}"/>\n', sdp, talk,
            f'  <pause milliseconds="{hold_ms}"/>\n', _BYE, _END]
    return "".join(body)


def answer_then_expect_bye(ring_ms: int = 300) -> str:
    """Ring for `ring_ms`, answer, and wait for the other side's BYE (answered 200)."""
    return "".join([_UAS_HEAD.format(name="uas-answer-wait", from_user="sip:"),
                    _RESPONSE.format(retrans="", status="180 Ringing"),
                    f'  <pause milliseconds="{ring_ms}"/>\n',
                    _OK_WITH_SDP.format(payload=0, rtpmap="0 PCMU/8000"),
                    RECV_BYE, _END])


def busy(from_user: str = "") -> str:
    """Refuse with 486 Busy Here at once; with `from_user`, only an INVITE from that
    user (`From: <sip:from_user@...>`) is expected: another fails the scenario."""
    check = f"sip:{re.escape(from_user)}@" if from_user else "sip:"
    return "".join([_UAS_HEAD.format(name="uas-busy", from_user=check),
                    _RESPONSE.format(retrans="", status="486 Busy Here"),
                    '  <recv request="ACK"/>\n', _END])


def ring_until_cancelled() -> str:
    """180 Ringing and never answer: the caller's side gives up with CANCEL."""
    return "".join([_UAS_HEAD.format(name="uas-ringing", from_user="sip:"),
                    _RESPONSE.format(retrans="", status="180 Ringing"), _CANCELLED, _END])


@contextlib.contextmanager
def warm_server(folder: Path, workdir: Path, extra: list[str] | None = None,
            tries: int = 3) -> Iterator[Server]:
    """`serving(...)` with the plans' prompts rendered first (see `prewarm`), warm_server
    again (new ports) if a port was taken meanwhile.

    Why again: the harness picks the admin port by a UDP check in the kernel's ephemeral
    range, so a TCP connection of another test can own it by the time the service
    binds it (seen: `address already in use` on the admin port)."""
    prewarm(folder, workdir)
    for attempt in range(1, tries + 1):
        try:
            server = Server(folder, workdir, extra)
            break
        except RuntimeError as error:
            if "already in use" not in str(error) or attempt == tries:
                raise
    try:
        yield server
    finally:
        server.stop()


def prewarm(folder: Path, workdir: Path, tries: int = 3) -> None:
    """Render the fixed prompts of the plans in `folder` into the cache the harness
    gives the server (`<workdir>/cache`), trying each up to `tries` times.

    Why: about 1 in 100 espeak-ng renders comes out empty; the cache refuses it, and a
    refusal during the server's own warm-up stops `dialplan serve` from starting. The
    tests here are about actions, not about that (reported), so they start warm."""
    plans, diagnostics, _ = load_plan_set(folder)
    assert plans is not None, diagnostics
    cache = PromptCache(workdir / "cache")
    for loaded in plans.plans:
        for prompt in fixed_prompts(loaded.plan):
            for attempt in range(1, tries + 1):
                try:
                    cache.get(prompt)
                    break
                except RuntimeError:
                    if attempt == tries:
                        raise


class Uas:
    """One SIPp UAS taking `calls` calls (one after the other) on its own port (`uri`
    reaches it)."""

    def __init__(self, scenario: str, workdir: Path, user: str, timeout: float = 30,
                 calls: int = 1) -> None:
        self.port, media = free_port_block(1), free_port_block(4)
        self.uri = f"sip:{user}@127.0.0.1:{self.port}"
        path = workdir / f"uas-{user}-{self.port}.xml"
        path.write_text(scenario)
        self.output = workdir / f"uas-{user}-{self.port}.out"
        self.timeout = timeout
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                ["sipp", "-sf", str(path), "-i", "127.0.0.1", "-p", str(self.port),
                 "-mi", "127.0.0.1", "-mp", str(media), "-m", str(calls),
                 "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin"],
                cwd=workdir, stdout=out, stderr=subprocess.STDOUT, text=True)
        self.ended_at = 0.0  # wall-clock time SIPp exited (its call was over)
        threading.Thread(target=self._note_end, daemon=True).start()

    def _note_end(self) -> None:
        self.process.wait()
        self.ended_at = time.time()

    def listening(self) -> bool:
        """Whether SIPp has bound its SIP port (read from /proc: probing by binding the
        port could take it from SIPp)."""
        return f"0100007F:{self.port:04X}" in Path("/proc/net/udp").read_text()

    def wait(self) -> int:
        """SIPp's exit code once its one call is over (0: the scenario was followed)."""
        return self.process.wait(timeout=self.timeout + 10)

    def report(self) -> str:
        return self.output.read_text(errors="replace")[-2000:]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@contextlib.contextmanager
def agents(workdir: Path, **scenarios: str | tuple[str, int]) -> Iterator[dict[str, Uas]]:
    """Start one UAS per keyword (its user name; the value is its scenario, or the
    scenario and how many calls it takes) and kill them all at the end."""
    started: dict[str, Uas] = {}
    try:
        for user, scenario in scenarios.items():
            text, calls = scenario if isinstance(scenario, tuple) else (scenario, 1)
            started[user] = Uas(text, workdir, user, calls=calls)
        for uas in started.values():  # SIPp binds its port before reading the first message
            wait_for(uas.listening, 10, uas.report)
        yield started
    finally:
        for uas in started.values():
            uas.kill()


@dataclass
class Outcome:
    code: int
    seconds: float
    stdout: str = ""
    stderr: str = ""

    def report(self) -> str:
        return f"exit {self.code} after {self.seconds:.1f}s\n{self.stdout[-1500:]}\n" \
               f"{self.stderr[-1500:]}"


def call_all(workdir: Path, calls: dict[str, tuple[Server, str, str]],
             timeout: float = 30) -> dict[str, Outcome]:
    """Run SIPp callers at once: name -> (server, scenario, number dialled); outcomes.

    They are started one after the other (free ports are handed out without a lock:
    never from two threads) and then waited for together."""
    started = time.monotonic()
    running = {}
    for name, (server, scenario, number) in calls.items():
        process = sipp(scenario, server, number, workdir, timeout=timeout, background=True)
        assert isinstance(process, subprocess.Popen)
        running[name] = process

    def finish(item: tuple[str, subprocess.Popen[str]]) -> tuple[str, Outcome]:
        name, process = item
        try:
            stdout, stderr = process.communicate(timeout=timeout + 15)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        return name, Outcome(process.returncode, time.monotonic() - started, stdout, stderr)

    with ThreadPoolExecutor(max(1, len(running))) as pool:
        return dict(pool.map(finish, running.items()))


@dataclass
class CallPath:
    """One call from the call log: what was dialled, and every record it left."""

    call: str
    called: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def states(self) -> list[str]:
        return [r["state"] for r in self.records if r["event"] == "state_entered"]

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [r["input"] for r in self.records if "input" in r]

    @property
    def commands(self) -> list[dict[str, Any]]:
        return [c for r in self.records for c in r.get("commands", [])]

    @property
    def ended(self) -> bool:
        return any(r["event"] == "call_ended" for r in self.records)

    def steps(self) -> list[str]:
        """States, `<Event>`s (with a digit's key or an outcome) and commands, in order."""
        out: list[str] = []
        for record in self.records:
            if record["event"] == "state_entered":
                out.append(record["state"])
            if "input" in record:
                data = record["input"]
                detail = data.get("key") or data.get("outcome") or ""
                out.append(f"<{data['type']}{' ' + detail if detail else ''}>")
            out.extend(c["type"] for c in record.get("commands", []))
        return out

    def said(self) -> list[str]:
        return [c["text"] for c in self.commands if c["type"] == "Say"]

    def when(self, kind: str, **fields: Any) -> float:
        """The wall-clock time of the first input of this type (and these fields)."""
        for record in self.records:
            data = record.get("input", {})
            if data.get("type") == kind and all(data.get(k) == v for k, v in fields.items()):
                return float(record["_at"])
        raise AssertionError(f"no {kind} {fields} in {self.steps()}")

    def keys(self) -> str:
        """The DTMF keys the call received, in order."""
        return "".join(i["key"] for i in self.inputs if i["type"] == "Digit")

    def fired_timers(self) -> list[float]:
        """The length of each timer that fired (from its StartTimer), in order."""
        started = {c["token"]: c["seconds"] for c in self.commands if c["type"] == "StartTimer"}
        return [started.get(i["token"], -1.0) for i in self.inputs if i["type"] == "TimerFired"]

    def count(self, kind: str) -> int:
        """How many inputs of this event type the call received."""
        return sum(1 for i in self.inputs if i["type"] == kind)


def call_log(text: str) -> list[CallPath]:
    calls: dict[str, CallPath] = {}
    for line in text.splitlines():
        match = re.search(r"^(\S+ \S+) \w+ dialplan\.calls: \w+ (\{.*\})$", line)
        if not match:
            continue
        record = json.loads(match.group(2))
        logged = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
        record["_at"] = logged.timestamp()  # local time, as logging writes it
        path = calls.setdefault(record["call"], CallPath(record["call"]))
        if record["event"] == "call_started":
            path.called = record["called"]
            record.pop("commands", None)  # paths here start at the flow's first wait
        path.records.append(record)
    return list(calls.values())


def paths_by_called(server: Server, expected: int, timeout: float = 10) -> dict[str, CallPath]:
    """Called number -> its call's path, once `expected` calls have ended (one call per
    number)."""
    calls: list[CallPath] = []

    def ended() -> bool:
        calls[:] = call_log(server.log_text())
        return sum(c.ended for c in calls) >= expected

    with contextlib.suppress(AssertionError):  # the caller's assertions tell what is missing
        wait_for(ended, timeout)
    by_called = {c.called: c for c in calls}
    assert len(by_called) == len(calls), f"one call per number expected: {calls}"
    return by_called


class RtpListener:
    """A UDP socket standing in for a caller's RTP port: it keeps what the service sends
    (arrival time, payload type, payload), so a test can tell what the caller heard.
    Times are wall-clock (`time.time()`), as in the service's log lines."""

    def __init__(self) -> None:
        self.port = free_port_block(2)  # RTP and (unread) RTCP
        self.packets: list[tuple[float, int, bytes]] = []
        self._sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
        for offset, sock in enumerate(self._sockets):
            sock.bind(("127.0.0.1", self.port + offset))
        self._sockets[0].settimeout(0.2)
        self._running = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._running:
            try:
                data = self._sockets[0].recv(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(data) > 12:
                self.packets.append((time.time(), data[1] & 0x7F, data[12:]))

    def heard(self, since: float = 0.0, until: float = math.inf) -> tuple[int, float]:
        """(PCMU packets, RMS of their audio) that arrived between the two instants."""
        chosen = [p for t, kind, p in self.packets if kind == 0 and since <= t < until]
        return len(chosen), rms([ulaw_to_linear(b) for p in chosen for b in p])

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        for sock in self._sockets:
            sock.close()


@contextlib.contextmanager
def rtp_listener() -> Iterator[RtpListener]:
    listener = RtpListener()
    try:
        yield listener
    finally:
        listener.close()


def ulaw_to_linear(byte: int) -> int:
    """One G.711 mu-law byte as a 16-bit sample."""
    byte = ~byte & 0xFF
    magnitude = (((byte & 0x0F) << 3) + 0x84) << ((byte & 0x70) >> 4)
    return (0x84 - magnitude) if byte & 0x80 else (magnitude - 0x84)


def rms(samples: list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
