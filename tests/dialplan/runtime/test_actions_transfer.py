"""`transfer` failing on real calls (the demo's test covers the accepted REFER):

    900  the caller (SIPp) refuses our REFER with 603: the `failed` branch runs, the
         call stays with us and the flow goes on
    901  the target is outside the service's `allowed_targets` (the harness allows
         127.0.0.1 only): no REFER is sent at all (SIPp would fail on one) and the
         `failed` branch runs
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support.harness import Server
from tests.support.scenarios import refuse_transfer, silent_until_server_hangs_up
from tests.support.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

Results = tuple[dict[str, Outcome], dict[str, CallPath], str]
PLAN = """route 900 -> refused
route 901 -> forbidden

flow refused {
  start:
    answer
    say "Transferring."
    transfer "sip:200@127.0.0.1:5070" {
      failed -> say "The transfer failed."; goto still_here
    }
    hangup

  still_here:
    say "You are still with us."
    hangup
}

flow forbidden {
  start:
    answer
    say "Transferring."
    transfer "sip:200@192.0.2.1:5070" {
      failed -> goto still_here
    }
    hangup

  still_here:
    say "That number cannot be reached."
    hangup
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("transfer")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "transfer.dialplan").write_text(PLAN)
    with warm_server(workdir / "plans", workdir) as running:
        yield running


@pytest.fixture(scope="module")
def results(server: Server) -> Results:
    outcomes = call_all(server.log.parent, {
        "refused": (server, refuse_transfer("603 Declined"), "900"),
        "forbidden": (server, silent_until_server_hangs_up(), "901"),
    })
    return outcomes, paths_by_called(server, 2), server.log_text()


def test_a_refused_refer_runs_the_failed_branch_and_keeps_the_call(results: Results) -> None:
    outcomes, paths, _ = results
    assert outcomes["refused"].code == 0, outcomes["refused"].report()
    path = paths["900"]
    transfer = [c for c in path.commands if c["type"] == "Transfer"]
    assert transfer == [{"type": "Transfer", "target": "sip:200@127.0.0.1:5070"}]
    result = [i for i in path.inputs if i["type"] == "TransferResult"]
    assert result == [{"type": "TransferResult", "ok": False, "status": 603}]
    assert path.said() == ["The transfer failed.", "You are still with us."]
    assert path.states == ["refused.start", "refused.still_here"]


def test_a_target_outside_allowed_targets_is_never_referred_to(results: Results) -> None:
    outcomes, paths, log = results
    assert outcomes["forbidden"].code == 0, outcomes["forbidden"].report()  # no REFER
    path = paths["901"]
    result = [i for i in path.inputs if i["type"] == "TransferResult"]
    assert result == [{"type": "TransferResult", "ok": False, "status": 403}]
    assert path.states == ["forbidden.start", "forbidden.still_here"]
    assert "transfer to sip:200@192.0.2.1:5070 refused by allowed_targets" in log
