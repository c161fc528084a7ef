"""The events a call's steps make (lifecycle.py), seen through the simulator, which
feeds it exactly as the service does: queued with the queue's outcome, a refused call,
a call the service ended, and only the configured events, numbered without gaps."""

from __future__ import annotations

import datetime as dt

from dialplan.machine import CallState
from dialplan.sim import VirtualCall
from dialplan.webhooks.lifecycle import CallIdentity, Lifecycle
from tests.dialplan.transcript import compile_ok

AT = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
QUEUED = """route 100 -> main
queue q { agents "sip:a@pbx" max_wait 1m }
flow main {
  start:
    answer
    queue q { noanswer -> say "Nobody."; hangup }
}
"""


def call_of(text: str, number: str = "100") -> VirtualCall:
    call = VirtualCall(compile_ok(text), number)
    call.start()
    return call


def test_a_queued_call_posts_queued_and_its_summary_tells_the_queues_outcome() -> None:
    call = call_of(QUEUED)
    call.wait(60)
    _, _, queued, ended = call.webhooks
    assert [e["event"] for e in call.webhooks] == ["started", "answered", "queued", "ended"]
    assert queued["queue"] == "q" and queued["sequence"] == 3
    assert ended["queue"] == {"name": "q", "outcome": "noanswer"}
    assert (ended["outcome"], ended["duration"]) == ("hangup", 60.0)


def test_a_number_no_route_takes_is_a_rejected_call() -> None:
    call = call_of(QUEUED, number="999")
    [_, ended] = call.webhooks
    assert (ended["outcome"], ended["hung_up_by"], ended["sip_status"]) == (
        "rejected", "flow", 404)
    assert ended["answered_at"] is None and ended["path"] == []


def test_a_call_the_service_ended_is_dropped_and_the_summary_is_sent_once() -> None:
    life = Lifecycle(CallIdentity("c", "n:1:in-1", "", "5551234", "100", "v1"))
    life.started(CallState("v1", flow="main", state="start"), [], AT)
    [ended] = life.ended(AT + dt.timedelta(seconds=2))
    assert (ended["outcome"], ended["hung_up_by"], ended["duration"]) == (
        "dropped", "service", 2.0)
    assert life.ended(AT) == []


def test_only_the_configured_events_are_made_and_numbered_without_gaps() -> None:
    life = Lifecycle(CallIdentity("c", "n:1:in-1", "", "5551234", "100", "v1"),
                     frozenset({"started", "ended"}))
    made = life.started(CallState("v1"), [], AT) + life.ended(AT)
    assert [(e["event"], e["sequence"]) for e in made] == [("started", 1), ("ended", 2)]
