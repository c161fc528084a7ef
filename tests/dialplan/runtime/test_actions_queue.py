"""`queue` on real calls, the agents being SIPp UASes. Both calls run at once on one
service (two legs each: the engine's 4-leg cap).

    600  queue `support`: the agent rings 2 s, answers, stays 2 s, hangs up. The
         caller's RTP goes to the test's own socket: hold music while waiting (energy
         on the line), the music stops once bridged (the agent sends no audio), then
         QueueResult answered, BridgeEnded, and the `answered` branch.
    601  queue `closed_desk` (`max_wait 3s`): the agent rings and never answers; after
         3 s QueueResult noanswer, the fallback branch, and the agent sees CANCEL.

While they wait, the admin endpoint lists each caller in its queue; afterwards it
counts one answered call in `support` and one timed out in `closed_desk`.

    620  on a third service: queue `lonely`, whose agent rings on; the caller hangs up
         after 2 s: the agent gets a CANCEL, the queue is empty again and counts
         one abandoned call.
    630, 631  on a fourth service: two callers, one agent who answers each in turn
              (rings 2 s, stays 1 s): first come, first served; the second is
              answered only once the agent is free again.
    610, 611  on a second service at the same time: queue `tiny` (`max_callers 1`,
              the agent never answers). One caller waits; the other finds the queue
              full: QueueResult failed and the `failed` branch at once.
    700, 701  two more services sharing one Redis (`queue_store`, nodes pbx-a and
              pbx-b), a caller on each, one agent: one book, seen alike by both.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dialplan.machine.commands import Enqueue
from tests.support.harness import Server, serving, wait_for
from tests.support.redis_server import running_redis
from tests.support.scenarios import (
    listen_until_server_hangs_up,
    press_then_caller_hangs_up,
    silent_until_server_hangs_up,
)
from tests.support.uas import (
    CallPath,
    Outcome,
    RtpListener,
    agents,
    answer_then_hang_up,
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

PLAN = """route 600 -> waiting
route 601 -> fallback

queue support {{
  agents "{answers}"
  music "hold_music"
  max_wait 20s
}}

queue closed_desk {{
  agents "{rings}"
  music "hold_music"
  max_wait 3s
}}

queue tiny {{
  agents "{tiny_agent}"
  max_wait 3s
  max_callers 1
}}

route 610, 611 -> full
route 620 -> gives_up
route 630, 631 -> in_line

queue line {{
  agents "{line_agent}"
  max_wait 20s
}}

flow in_line {{
  start:
    answer
    queue line
    hangup
}}

queue lonely {{
  agents "{lonely_agent}"
  max_wait 20s
}}

flow gives_up {{
  start:
    answer
    queue lonely
    say "Not reached: the caller has gone."
    hangup
}}

flow full {{
  start:
    answer
    queue tiny {{
      noanswer -> goto waited
      failed -> goto turned_away
    }}
    hangup

  waited:
    hangup

  turned_away:
    hangup
}}

flow waiting {{
  start:
    answer
    queue support {{
      answered -> say "Thank you for calling."
      noanswer -> goto nobody
      failed -> goto nobody
    }}
    hangup

  nobody:
    hangup
}}

flow fallback {{
  start:
    answer
    queue closed_desk {{
      noanswer -> goto voicemail
    }}
    say "An agent answered."
    hangup

  voicemail:
    say "Nobody is free. Please call again."
    hangup
}}
"""


@dataclass
class Results:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    paths: dict[str, CallPath] = field(default_factory=dict)
    agents: dict[str, tuple[int, str]] = field(default_factory=dict)
    waiting: list[Any] = field(default_factory=list)  # /queues while both callers wait
    after: Any = None  # /queues at the end
    lonely_after: Any = None  # /queues of the third service at the end
    line: Any = None  # /queues of the fourth service while both callers wait
    agents_ended: dict[str, float] = field(default_factory=dict)
    ear: RtpListener | None = None


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("queue")
    folder = workdir / "plans"
    folder.mkdir()
    found = Results()
    with agents(workdir, answers=answer_then_hang_up(ring_ms=2000, hold_ms=2000),
                rings=ring_until_cancelled(), tiny_agent=ring_until_cancelled(),
                lonely_agent=ring_until_cancelled(),
                line_agent=(answer_then_hang_up(ring_ms=2000, hold_ms=1000), 2)
                ) as uases, rtp_listener() as ear:
        uris = {user: uas.uri for user, uas in uases.items()}
        (folder / "queue.dialplan").write_text(PLAN.format(**uris))
        with warm_server(folder, workdir) as server, warm_server(folder, workdir) as other, \
                warm_server(folder, workdir) as third, warm_server(folder, workdir) as fourth:
            done: dict[str, Outcome] = {}
            calling = threading.Thread(target=lambda: done.update(call_all(workdir, {
                "answered": (server, listen_until_server_hangs_up(ear.port), "600"),
                "fallback": (server, silent_until_server_hangs_up(), "601"),
                "first": (other, silent_until_server_hangs_up(), "610"),
                "second": (other, silent_until_server_hangs_up(), "611"),
                "gives up": (third, press_then_caller_hangs_up("", 0, 2000), "620"),
                "in line": (fourth, silent_until_server_hangs_up(), "630"),
                "also in line": (fourth, silent_until_server_hangs_up(), "631"),
            })))
            calling.start()
            wait_for(lambda: in_line(server, support=1, closed_desk=1)
                     and in_line(fourth, line=2),
                     10, lambda: f"{server.admin('/queues')} {fourth.admin('/queues')}")
            found.waiting = [server.admin("/queues"), server.admin("/calls")]
            found.line = fourth.admin("/queues")
            calling.join(40)
            found.outcomes = done
            found.paths = {**paths_by_called(server, 2), **paths_by_called(other, 2),
                           **paths_by_called(third, 1), **paths_by_called(fourth, 2)}
            found.after = server.admin("/queues")
            found.lonely_after = third.admin("/queues")
            for running in (other, third, fourth):
                running.signal(signal.SIGTERM)  # all drain at once
        found.agents = {user: (uas.wait(), uas.report()) for user, uas in uases.items()}
        found.agents_ended = {user: uas.ended_at for user, uas in uases.items()}
        found.ear = ear
        yield found


def test_the_caller_hears_hold_music_while_waiting(results: Results) -> None:
    assert results.ear is not None
    path = results.paths["600"]
    answered = path.when("QueueResult", outcome="answered")
    started = float(path.records[0]["_at"])
    packets, loudness = results.ear.heard(since=started + 0.5, until=answered - 0.2)
    assert packets >= 40  # about 1.3 s of 20 ms packets
    assert loudness > 300  # music, not silence


def test_the_music_stops_when_the_agent_answers(results: Results) -> None:
    assert results.ear is not None
    answered = results.paths["600"].when("QueueResult", outcome="answered")
    _, loudness = results.ear.heard(since=answered + 0.3, until=answered + 1.5)
    assert loudness < 100  # the bridge carries the silent agent: silence is not even sent


def test_the_agent_answers_and_is_bridged_until_they_hang_up(results: Results) -> None:
    outcome = results.outcomes["answered"]
    assert outcome.code == 0, outcome.report()
    code, report = results.agents["answers"]
    assert code == 0, report
    path = results.paths["600"]
    assert path.steps()[:3] == ["waiting.start", "<QueueResult answered>", "<BridgeEnded>"]
    assert path.said() == ["Thank you for calling."]
    bridged = path.when("BridgeEnded") - path.when("QueueResult")
    assert 1.5 < bridged < 4  # the agent stayed 2 s


def test_max_wait_without_an_agent_runs_the_noanswer_fallback(results: Results) -> None:
    outcome = results.outcomes["fallback"]
    assert outcome.code == 0, outcome.report()
    code, report = results.agents["rings"]
    assert code == 0, report  # rang, then CANCEL
    path = results.paths["601"]
    assert path.steps()[:2] == ["fallback.start", "<QueueResult noanswer>"]
    assert path.states == ["fallback.start", "fallback.voicemail"]
    assert path.said() == ["Nobody is free. Please call again."]
    waited = path.when("QueueResult") - float(path.records[0]["_at"])
    assert 2.9 < waited < 5


def test_the_admin_endpoint_shows_the_queues(results: Results) -> None:
    queues, calls = results.waiting
    assert waiting(queues["support"]) == 1
    assert waiting(queues["closed_desk"]) == 1
    assert sorted(c["called"] for c in calls if "leg" not in c) == ["600", "601"]
    assert {c["leg"] for c in calls if "leg" in c} <= {"dial"}  # an agent being rung
    assert results.after["support"]["answered"] == 1
    assert results.after["closed_desk"]["timed_out"] == 1
    assert results.after["closed_desk"]["abandoned"] == 0
    assert waiting(results.after["support"]) == waiting(results.after["closed_desk"]) == 0


def test_a_caller_who_hangs_up_while_waiting_leaves_the_queue(results: Results) -> None:
    outcome = results.outcomes["gives up"]
    assert outcome.code == 0, outcome.report()
    code, report = results.agents["lonely_agent"]
    assert code == 0, report  # it rang, then got CANCEL
    path = results.paths["620"]
    assert path.steps()[:2] == ["gives_up.start", "<HungUp>"]
    assert results.agents_ended["lonely_agent"] - path.when("HungUp") < 1.0
    assert waiting(results.lonely_after["lonely"]) == 0
    assert results.lonely_after["lonely"]["abandoned"] == 1  # hung up while waiting


def in_line(server: Server, **counts: int) -> bool:
    """Whether these queues of `server` have this many callers waiting now."""
    queues: dict[str, Any] = server.admin("/queues")  # type: ignore[assignment]
    return all(name in queues and waiting(queues[name]) == n for name, n in counts.items())


def waiting(queue: dict[str, Any]) -> int:
    """How many wait in a queue of /queues (a count, or the callers in line)."""
    count = queue["waiting"]
    return len(count) if isinstance(count, list) else int(count)


def test_callers_are_served_in_the_order_they_came(results: Results) -> None:
    for name in ("in line", "also in line"):
        assert results.outcomes[name].code == 0, results.outcomes[name].report()
    code, report = results.agents["line_agent"]
    assert code == 0, report  # it answered both, one after the other
    assert waiting(results.line["line"]) == 2
    first, second = sorted([results.paths["630"], results.paths["631"]],
                           key=lambda p: int(p.call.split("-")[-1]))  # arrival order
    for path in (first, second):
        assert path.steps()[:3] == ["in_line.start", "<QueueResult answered>", "<BridgeEnded>"]
    assert first.when("QueueResult") < first.when("BridgeEnded") <= second.when("QueueResult")


@pytest.mark.xfail("max_callers" not in Enqueue.__dataclass_fields__, strict=True,
                   reason="`max_callers` is compiled into the plan, but the Enqueue "
                   "command does not carry it yet, so the queue service never refuses")
def test_a_full_queue_turns_the_next_caller_away(results: Results) -> None:
    assert results.outcomes["first"].code == results.outcomes["second"].code == 0
    paths = [results.paths["610"], results.paths["611"]]
    outcomes = sorted(p.inputs[0].get("outcome", "") for p in paths)
    assert outcomes == ["failed", "noanswer"]
    turned_away = next(p for p in paths if p.inputs[0].get("outcome") == "failed")
    assert turned_away.states == ["full.start", "full.turned_away"]


SHARED_PLAN = """route 700, 701 -> shared
queue shared {{ agents "{agent}" max_wait 20s }}
flow shared {{ start: answer; queue shared; hangup }}
"""


def test_two_services_share_one_queue_through_redis(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    with running_redis(tmp_path / "redis") as url, agents(
            tmp_path, agent=(answer_then_hang_up(ring_ms=1500, hold_ms=1000), 2)) as uases, \
            contextlib.ExitStack() as stack:
        (folder / "q.dialplan").write_text(SHARED_PLAN.format(agent=uases["agent"].uri))
        for node in ("pbx-a", "pbx-b"):
            (tmp_path / node).mkdir()  # each its own config file and log
        a, b = (stack.enter_context(serving(folder, tmp_path / node, settings=(
            f'queue_store = "{url}"\nnode = "{node}"\n'))) for node in ("pbx-a", "pbx-b"))
        done: dict[str, Outcome] = {}
        calling = threading.Thread(target=lambda: done.update(call_all(tmp_path, {
            "on a": (a, silent_until_server_hangs_up(), "700"),
            "on b": (b, silent_until_server_hangs_up(), "701")})))
        calling.start()
        # both wait: the agent rings 1.5 s for the first, then talks 1 s
        wait_for(lambda: len(b.admin("/queues").get(  # type: ignore[attr-defined]
            "shared", {}).get("callers", [])) == 2, 10, lambda: str(b.admin("/queues")))
        during: Any = b.admin("/queues")
        calling.join(30)
        after: Any = [server.admin("/queues") for server in (a, b)]
        assert uases["agent"].wait() == 0, uases["agent"].report()  # both, in turn
    assert all(outcome.code == 0 for outcome in done.values()), done
    assert sorted(c.split(":")[0] for c in during["shared"]["callers"]) == ["pbx-a", "pbx-b"]
    assert after[0] == after[1]  # one book
    assert (after[0]["shared"]["answered"], after[0]["shared"]["waiting"]) == (2, 0)
