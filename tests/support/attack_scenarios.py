"""SIPp scenarios of a caller who attacks from inside its answered call (REFERs), and a
runner that passes SIPp's `-aa` (answer the NOTIFYs a followed REFER brings)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.engine.sipp import HEAD, run_sipp
from tests.engine.support import free_port_block
from tests.support.harness import Reachable
from tests.support.scenarios import _answered

REFER = """  <send retrans="500"><![CDATA[
REFER sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} REFER
Contact: sip:sipp@[local_ip]:[local_port]
Refer-To: <{target}>
Referred-By: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="{status}"/>
"""

BYE = """  <send retrans="500"><![CDATA[
BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} BYE
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
"""


def refers_then_bye(refers: list[tuple[str, int]], hold_ms: int = 500) -> str:
    """Answer, send one in-dialog REFER per (target, expected status), hang up."""
    steps = [REFER.format(cseq=2 + i, target=target, status=status)
             for i, (target, status) in enumerate(refers)]
    body = [*_answered(), *steps, f'  <pause milliseconds="{hold_ms}"/>',
            BYE.format(cseq=2 + len(refers))]
    return HEAD.format(name="refers") + "\n".join(body) + "</scenario>\n"


def run_caller(scenario: str, server: Reachable, number: str, workdir: Path,
               timeout: float = 20.0, background: bool = False
               ) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:
    """One SIPp call to `number` that auto-answers in-call NOTIFYs (bounded in time)."""
    local, media = free_port_block(1), free_port_block(4)
    extra = ["-aa", "-s", number]
    if not background:
        return run_sipp(scenario, workdir, server.sip_port, local, media, timeout=timeout,
                        extra=extra)
    from tests.engine.sipp import sipp_command

    command = sipp_command(scenario, workdir, server.sip_port, local, media, 1, 1, 10.0,
                           timeout) + extra
    return subprocess.Popen(command, cwd=workdir, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
