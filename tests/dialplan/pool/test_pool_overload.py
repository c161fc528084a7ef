"""A pool offered more calls than it holds, on real SIP (issue 15): every call is either
answered or refused by the proxy itself with 503 + Retry-After, never a process's own
refusal (486, or a 503 that Kamailio's tm relays as 500); the refusals are counted on
/metrics and logged."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.engine.sipp import HEAD
from tests.support.harness import serving, sipp, wait_for
from tests.support.scenarios import RECV_BYE, ROUTED_ACK, silent_until_server_hangs_up

PLAN = "route 100 -> main\nflow main { start: answer; wait 3s; hangup }\n"
OFFERED = 10


@dataclass
class Direct:
    """A worker's own SIP port: a call there is load the proxy does not see (as a
    process's outbound legs are)."""
    sip_port: int

# Answered (then the service's BYE) or refused with the proxy's 503 (its Retry-After
# checked); anything else, a 486 or a 500, fails the call and so the run.
ANSWERED_OR_REFUSED = HEAD.format(name="answered-or-refused") + """\
  <recv response="100" optional="global"/>
  <recv response="180" optional="global"/>
  <recv response="503" optional="true" next="refused">
    <action><ereg regexp="Retry-After: 5" search_in="msg" check_it="true" assign_to="ra"/>
    </action>
  </recv>
  <recv response="200" rrs="true"/>
""" + ROUTED_ACK + RECV_BYE + """\
  <nop><action><exec int_cmd="stop_call"/></action></nop>
  <label id="refused"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Content-Length: 0
]]></send>
  <Reference variables="ra"/>
</scenario>
"""


def test_a_full_pool_answers_or_refuses_every_call_at_the_edge_and_counts_it(
        tmp_path: Path) -> None:
    """Two processes that take one call each (`max_calls = 1`: the proxy counts one a
    process); the first is already full with a call the proxy never saw. Offered ten
    calls, the proxy answers one on the second process; it offers the first process
    calls it refuses, tries the other, and answers 503 itself once none is left."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "main.dialplan").write_text(PLAN)
    with serving(plans, tmp_path, extra=["--processes", "2"],
                 settings="max_calls = 1\n") as server:
        unseen = sipp(silent_until_server_hangs_up(), Direct(server.sip_port + 1), "100",
                      tmp_path, timeout=20, background=True)
        assert isinstance(unseen, subprocess.Popen)
        wait_for(lambda: server.worker_calls() == 1, timeout=10)
        result = sipp(ANSWERED_OR_REFUSED, server, "100", tmp_path, calls=OFFERED,
                      limit=OFFERED, rate=50, timeout=30)
        assert result.returncode == 0, str(result.stdout)[-2000:]
        assert unseen.wait(timeout=20) == 0
        answered = server.worker_metric(1, "dialplan_calls_total")
        refused = server.metric("dialplan_pool_proxy_refused_calls_total")
        assert answered == 1 and refused == OFFERED - 1, (answered, refused)
        assert server.metric("dialplan_pool_proxy_refused_offers_total") >= 1
    assert f"the proxy refused {OFFERED - 1} call(s) with 503" in server.log_text()
