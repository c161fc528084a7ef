"""SIPp scenarios (generated) and a runner, for tests and the benchmark.

Why generated: the scenarios differ only in what happens after the INVITE
(digits then BYE, CANCEL, an expected rejection), so one template keeps them
consistent. The SDP offers PCMU plus RFC 2833 telephone-events (payload 101),
and digits are played from the RFC 2833 pcaps Debian ships with sip-tester.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

PCAPS = Path("/usr/share/sip-tester")
DIGIT_PCAP = {"*": "star", "#": "pound", **{str(d): str(d) for d in range(10)}}

HEAD = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="{name}">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
]]></send>
  <recv response="100" optional="global"/>
"""

ACK = """  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch={branch}
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
"""

BYE = """  <send retrans="500"><![CDATA[
BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
"""

CANCEL = """  <recv response="180"/>
  <send><![CDATA[
CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 CANCEL
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
  <recv response="487"/>
"""


def answered_call(digits: str = "", hold_ms: int = 500, gap_ms: int = 700) -> str:
    """INVITE, 200, ACK, optional RFC 2833 digits, a pause, BYE."""
    body = ['  <recv response="180" optional="global"/>', '  <recv response="200" rtd="true"/>']
    body.append(ACK.format(branch="[branch]"))
    for digit in digits:
        pcap = PCAPS / f"dtmf_2833_{DIGIT_PCAP[digit]}.pcap"
        body.append(f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>')
        body.append(f'  <pause milliseconds="{gap_ms}"/>')
    body.append(f'  <pause milliseconds="{hold_ms}"/>')
    body.append(BYE)
    return HEAD.format(name="answered") + "\n".join(body) + "</scenario>\n"


def cancelled_call() -> str:
    """INVITE, 180, CANCEL, 200 for the CANCEL, 487 for the INVITE, ACK."""
    return HEAD.format(name="cancel") + CANCEL + ACK.format(branch="[branch-6]") + "</scenario>\n"


def rejected_call(status: int) -> str:
    """INVITE answered by a final ``status`` (e.g. 486 or 503), then ACK."""
    body = f'  <recv response="180" optional="global"/>\n  <recv response="{status}"/>\n'
    return (
        HEAD.format(name=f"rejected-{status}")
        + body
        + ACK.format(branch="[branch-3]")
        + ("</scenario>\n")
    )


# an SDES offer: the 30-byte master key and salt, base64 (a fixed test key, not a secret)
SAVP_OFFER = HEAD.replace(
    "m=audio [media_port] RTP/AVP 0 101",
    "m=audio [media_port] RTP/SAVP 0 101\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
)


def savp_call_answered_with_keys() -> str:
    """SRTP offered; the 200's SDP must answer RTP/SAVP with an a=crypto line."""
    check = ('  <recv response="200" rtd="true"><action>'
             '<ereg regexp="m=audio [0-9]+ RTP/SAVP" search_in="body" check_it="true"'
             ' assign_to="m"/>'
             '<ereg regexp="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" search_in="body"'
             ' check_it="true" assign_to="k"/></action></recv>\n'
             '  <Reference variables="m,k"/>\n')
    return (SAVP_OFFER.format(name="savp") + '  <recv response="180" optional="true"/>\n'
            + check + ACK.format(branch="[branch]") + '  <pause milliseconds="300"/>\n'
            + BYE + "</scenario>\n")


def sipp_command(scenario: str, workdir: Path, target_port: int, local_port: int,
                 media_port: int, calls: int, limit: int, rate: float, timeout: float
                 ) -> list[str]:
    """Write the scenario and build a bounded SIPp command line (127.0.0.1 only)."""
    path = workdir / f"scenario-{local_port}.xml"
    path.write_text(scenario)
    return [
        "sipp", f"127.0.0.1:{target_port}", "-sf", str(path), "-s", "service",
        "-i", "127.0.0.1", "-p", str(local_port), "-mi", "127.0.0.1", "-mp", str(media_port),
        "-m", str(calls), "-l", str(limit), "-r", str(rate),
        "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin",
    ]  # fmt: skip


def run_sipp(
    scenario: str,
    workdir: Path,
    target_port: int,
    local_port: int,
    media_port: int,
    calls: int = 1,
    limit: int = 1,
    rate: float = 10.0,
    timeout: float = 60.0,
    extra: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run SIPp to completion (bounded); exit code 0 means every call succeeded."""
    cmd = sipp_command(scenario, workdir, target_port, local_port, media_port, calls, limit,
                       rate, timeout) + (extra or [])
    return subprocess.run(
        cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout + 10, check=False
    )


def start_sipp(
    scenario: str,
    workdir: Path,
    target_port: int,
    local_port: int,
    media_port: int,
    calls: int,
    limit: int,
    rate: float = 10.0,
    timeout: float = 60.0,
) -> subprocess.Popen[str]:
    """Like :func:`run_sipp` but in the background; the caller must wait/kill it."""
    cmd = sipp_command(scenario, workdir, target_port, local_port, media_port, calls, limit,
                       rate, timeout)
    return subprocess.Popen(
        cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
