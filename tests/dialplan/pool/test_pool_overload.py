"""A pool offered more calls than it holds, on real SIP (issue 15): every call is either
answered or refused by the proxy itself with 503 + Retry-After, never a process's own
refusal (486, or a 503 that Kamailio's tm relays as 500); the refusals are counted on
/metrics and logged."""

from __future__ import annotations

from pathlib import Path

from tests.engine.sipp import HEAD
from tests.support.harness import serving, sipp
from tests.support.scenarios import RECV_BYE, ROUTED_ACK

PLAN = "route 100 -> main\nflow main { start: answer; wait 2s; hangup }\n"
OFFERED = 10

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
    """Two processes that each take one call (`max_calls = 1`) behind a proxy that
    counts four for each: it offers calls to full processes, which refuse them; it
    tries the other, and then answers 503 itself."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "main.dialplan").write_text(PLAN)
    with serving(plans, tmp_path, extra=["--processes", "2"],
                 settings="max_calls = 1\n") as server:
        result = sipp(ANSWERED_OR_REFUSED, server, "100", tmp_path, calls=OFFERED,
                      limit=OFFERED, rate=50, timeout=30)
        assert result.returncode == 0, str(result.stdout)[-2000:]
        answered = sum(server.worker_metric(slot, "dialplan_calls_total") for slot in (0, 1))
        refused = server.metric("dialplan_pool_proxy_refused_calls_total")
        assert answered >= 2 and answered + refused == OFFERED, (answered, refused)
        assert server.metric("dialplan_pool_proxy_refused_offers_total") >= refused
    assert f"the proxy refused {int(refused)} call(s) with 503" in server.log_text()
