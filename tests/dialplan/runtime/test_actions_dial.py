"""`dial` on real calls: the service calls out to SIPp acting as the called party (UAS),
one SIPp per outcome, while SIPp callers wait on the line.

    500  two callees ring at once; one answers, talks (g711a.pcap) for 3 s and hangs
         up: bridged; the other gets a CANCEL at the answer; the caller hears the
         callee; the `answered` branch and the next statement run
    501  the callee answers 486 Busy Here: the `busy` branch; the dial's `caller_id`
         is the user of the From it sees
    502  the callee rings (180) and never answers: the `noanswer` branch after the
         dial's 3 s timeout, and the callee sees the CANCEL

    503  the callee answers; the caller hangs up 2 s into the bridge: the callee gets
         a BYE too (no leg is left behind)

The engine takes 4 call legs per process: 500 (three legs) runs on one service, 501
and 502 (two each) at the same time on a second one, 503 on a third.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator

import pytest

from tests.support.scenarios import (
    listen_until_server_hangs_up,
    press_then_caller_hangs_up,
    silent_until_server_hangs_up,
)
from tests.support.uas import (
    CallPath,
    Outcome,
    agents,
    answer_then_expect_bye,
    answer_then_hang_up,
    busy,
    call_all,
    paths_by_called,
    ring_until_cancelled,
    rtp_listener,
    warm_server,
)

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

SPEECH = "/usr/share/sip-tester/g711a.pcap"
PLAN = """route 500 -> bridged
route 501 -> busy
route 502 -> unanswered
route 503 -> left

flow left {{
  start:
    answer
    dial "{stays}" timeout 5s
    say "Not reached: the caller has gone."
    hangup
}}

flow bridged {{
  start:
    answer
    dial "{answers}", "{also_rings}" timeout 5s {{
      answered -> say "The other party hung up."
      busy -> goto elsewhere
      noanswer -> goto elsewhere
      failed -> goto elsewhere
    }}
    say "After the dial."
    hangup

  elsewhere:
    hangup
}}

flow busy {{
  start:
    answer
    dial "{busy}" timeout 5s caller_id "5550100" {{
      busy -> goto busy_line
    }}
    say "Not busy."
    hangup

  busy_line:
    say "The line is busy."
    hangup
}}

flow unanswered {{
  start:
    answer
    dial "{rings}" timeout 3s {{
      noanswer -> goto nobody
    }}
    say "Someone answered."
    hangup

  nobody:
    say "Nobody answered."
    hangup
}}
"""


class Results:
    def __init__(self) -> None:
        self.outcomes: dict[str, Outcome] = {}
        self.paths: dict[str, CallPath] = {}
        self.callees: dict[str, tuple[int, str]] = {}  # user -> (SIPp exit code, report)
        self.ended: dict[str, float] = {}  # user -> when its SIPp was done
        self.heard: tuple[int, float] = (0, 0.0)  # the bridged caller: packets, RMS


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("dial")
    folder = workdir / "plans"
    folder.mkdir()
    found = Results()
    with agents(workdir, answers=answer_then_hang_up(300, 3000, SPEECH),
                busy=busy("5550100"), rings=ring_until_cancelled(),
                also_rings=ring_until_cancelled(), stays=answer_then_expect_bye()
                ) as callees, rtp_listener() as ear:
        uris = {user: uas.uri for user, uas in callees.items()}
        (folder / "dial.dialplan").write_text(PLAN.format(**uris))
        with warm_server(folder, workdir) as first, warm_server(folder, workdir) as second, \
                warm_server(folder, workdir) as third:
            found.outcomes = call_all(workdir, {
                "answered": (first, listen_until_server_hangs_up(ear.port), "500"),
                "busy": (second, silent_until_server_hangs_up(), "501"),
                "no answer": (second, silent_until_server_hangs_up(), "502"),
                "caller leaves": (third, press_then_caller_hangs_up("", 0, 2500), "503"),
            })
            found.paths = {**paths_by_called(first, 1), **paths_by_called(second, 2),
                           **paths_by_called(third, 1)}
            # the callee talks from its answer to its BYE (3 s)
            bridged = found.paths["500"]
            found.heard = ear.heard(since=bridged.when("DialResult") + 0.5,
                                    until=bridged.when("BridgeEnded") - 0.5)
            for server in (first, second, third):
                server.signal(signal.SIGTERM)  # all drain at once
        found.callees = {user: (uas.wait(), uas.report()) for user, uas in callees.items()}
        found.ended = {user: uas.ended_at for user, uas in callees.items()}
    yield found


def test_an_answered_dial_is_bridged_until_the_callee_hangs_up(results: Results) -> None:
    outcome = results.outcomes["answered"]
    assert outcome.code == 0, outcome.report()
    code, report = results.callees["answers"]
    assert code == 0, report  # the callee got the INVITE, answered, and its BYE got 200
    path = results.paths["500"]
    assert path.steps()[:3] == ["bridged.start", "<DialResult answered>", "<BridgeEnded>"]
    # the bridge lasted as long as the callee stayed (3 s)
    assert outcome.seconds > 3


def test_the_other_callee_is_cancelled_when_the_first_answers(results: Results) -> None:
    code, report = results.callees["also_rings"]
    assert code == 0, report  # it rang, then got CANCEL (and ACKed our 487)
    answered = results.paths["500"].when("DialResult")
    assert results.ended["also_rings"] - answered < 1.0  # not at the 5 s timeout


def test_the_bridged_caller_hears_the_callee(results: Results) -> None:
    packets, loudness = results.heard
    assert packets > 50  # 2 s of 20 ms packets
    assert loudness > 300  # speech, not silence (PCMU silence decodes to 0)


def test_after_the_bridge_the_answered_branch_and_the_next_statement_run(
        results: Results) -> None:
    path = results.paths["500"]
    assert path.said() == ["The other party hung up.", "After the dial."]
    assert path.states == ["bridged.start"]
    assert path.commands[-1]["type"] == "Hangup"


def test_a_busy_callee_takes_the_busy_branch(results: Results) -> None:
    outcome = results.outcomes["busy"]
    assert outcome.code == 0, outcome.report()
    code, report = results.callees["busy"]
    assert code == 0, report
    path = results.paths["501"]
    assert path.steps()[:3] == ["busy.start", "<DialResult busy>", "Say"]
    assert path.states == ["busy.start", "busy.busy_line"]
    assert path.said() == ["The line is busy."]


def test_the_callee_sees_the_dials_caller_id(results: Results) -> None:
    code, report = results.callees["busy"]
    assert code == 0, report  # its INVITE came From sip:5550100@...


def test_a_callee_who_never_answers_takes_the_noanswer_branch_after_the_timeout(
        results: Results) -> None:
    outcome = results.outcomes["no answer"]
    assert outcome.code == 0, outcome.report()
    assert outcome.seconds >= 3  # the dial's timeout
    code, report = results.callees["rings"]
    assert code == 0, report  # it rang, then got CANCEL (and ACKed our 487)
    path = results.paths["502"]
    assert path.steps()[:2] == ["unanswered.start", "<DialResult noanswer>"]
    assert path.states == ["unanswered.start", "unanswered.nobody"]
    assert path.said() == ["Nobody answered."]


def test_a_caller_who_hangs_up_during_the_bridge_takes_the_callee_down(
        results: Results) -> None:
    outcome = results.outcomes["caller leaves"]
    assert outcome.code == 0, outcome.report()
    code, report = results.callees["stays"]
    assert code == 0, report  # it got our BYE and answered it
    path = results.paths["503"]
    assert path.steps()[:3] == ["left.start", "<DialResult answered>", "<HungUp>"]
    assert path.said() == []
    assert results.ended["stays"] - path.when("HungUp") < 1.0
