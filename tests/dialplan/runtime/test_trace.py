"""The service's per-call trace (what live scenarios read) and how the live driver turns
it and the wire into what the caller perceived (live_view); no SIP here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dialplan.build import build_file
from dialplan.live.view import Wire, cause_of, perceived
from dialplan.machine import CallInfo
from dialplan.machine import events as ev
from dialplan.machine import trace_records as tr
from dialplan.machine.trace_records import tag_of
from dialplan.plan import Plan
from dialplan.runtime.trace import CallTrace, TraceBook, TracedMachine
from dialplan.sim import perceived as seen
from tests.support.harness import ROOT

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def _demo() -> Plan:
    plan = build_file(str(ROOT / "examples/dialplans/demo.dialplan")).plan
    assert plan is not None
    return plan


def _traced(*events: ev.Event) -> CallTrace:
    plan = _demo()
    trace = TraceBook().open("abc@host", "in-1", plan, "sip:100@h;x-dialplan-test=t1")
    machine = TracedMachine(plan, trace)
    state, _ = machine.start(CallInfo(caller="5551234", called="100", call_id="in-1"), NOW)
    for event in events:
        state, _ = machine.step(state, event, NOW)
    return trace


def test_a_trace_holds_what_was_said_the_states_and_the_prompts_still_playing() -> None:
    trace = _traced(ev.PromptFinished())
    data = trace.as_json()
    assert [r["kind"] for r in data["records"]] == ["answer", "say", "say"]
    assert data["records"][2]["text"] == "Press 1 to hear goodbye. Press 2 to be transferred."
    assert data["states"] == ["demo.start", "demo.menu"]
    assert data["prompts_owed"] == 1 and data["digits"] == 0
    assert data["where"] == "demo.menu" and not data["ended"]
    json.dumps(data)  # what the admin endpoint sends


def test_a_trace_counts_digits_and_keeps_how_a_transfer_turned_out() -> None:
    trace = _traced(ev.PromptFinished(), ev.PromptFinished(), ev.Digit("2"),
                    ev.TransferResult(False, 486))
    records = trace.as_json()["records"]
    assert {"kind": "transfer", "targets": ["sip:200@127.0.0.1:5070"]}.items() <= \
        records[3].items()
    assert records[4]["kind"] == "result" and records[4]["outcome"] == "busy"
    assert trace.digits == 1
    assert [node_label for node_label in trace.as_json()["taken"] if node_label[1] == "key 2"]


def test_traces_are_found_by_call_id_or_tag_and_only_the_last_ones_are_kept() -> None:
    book = TraceBook(keep=2)
    plan = _demo()
    for number in range(4):
        book.open(f"id-{number}", f"in-{number}", plan,
                  f"sip:100@h;x-dialplan-test=tag-{number}")
    assert book.get("id-0") is None and book.get(tag="tag-0") is None
    found = book.get("id-3")
    assert found is not None and book.get(tag="tag-3") is found


def test_the_tag_comes_from_the_request_uri() -> None:
    assert tag_of("sip:100@127.0.0.1:5080;x-dialplan-test=ab12") == "ab12"
    assert tag_of("sip:100@127.0.0.1:5080") == ""


def test_a_transfer_in_the_trace_is_perceived_only_once_the_wire_shows_its_refer() -> None:
    records: list[dict[str, Any]] = [{"kind": "answer"}, {"kind": "say", "text": "Hi."},
                                      {"kind": "transfer", "targets": ["sip:200@h"]}]
    assert perceived(Wire(answered=True), records) == [seen.Answered(), seen.Heard("Hi.")]
    assert perceived(Wire(answered=True, refers=["sip:200@h:5"]), records)[-1] == \
        seen.Requested("transfer", ("sip:200@h:5",))


def test_a_refused_call_ends_with_the_status_the_wire_gave() -> None:
    records = [{"kind": "hangup", "cause": "busy", "sip_status": 486}]
    assert perceived(Wire(refused=486), records) == [seen.Ended("busy", 486)]
    assert perceived(Wire(refused=404), []) == [seen.Ended("notfound", 404)]
    assert cause_of(486) == "busy" and cause_of(200) == "normal"


def test_the_callers_own_hangup_comes_last() -> None:
    wire = Wire(answered=True, hung_up=True)
    assert perceived(wire, [{"kind": "answer"}])[-1] == seen.Ended("normal", 200,
                                                                   by_caller=True)


def test_a_hangup_in_the_trace_waits_for_the_wire_and_keeps_the_plans_cause() -> None:
    records: list[dict[str, Any]] = [
        {"kind": "answer"}, {"kind": "hangup", "cause": "busy", "sip_status": 486}]
    assert perceived(Wire(answered=True), records) == [seen.Answered()]
    assert perceived(Wire(answered=True, ended=200), records)[-1] == seen.Ended("busy", 486)


def test_the_records_read_back_as_the_admin_endpoint_wrote_them() -> None:
    trace = _traced(ev.PromptFinished(), ev.PromptFinished(), ev.Digit("2"),
                    ev.TransferResult(False, 486))
    sent = json.loads(json.dumps(trace.as_json()))  # as the live driver receives it
    assert [tr.record_from_json(r) for r in sent["records"]] == trace.records
    assert isinstance(trace.records[4], tr.Result) and trace.records[4].status == 486


def test_a_trace_is_found_by_the_tag_in_the_request_uri_only_when_asked() -> None:
    book, plan = TraceBook(), _demo()
    book.open("a@h", "in-1", plan, f"sip:100@h;{tr.TAG_PARAM}=mine")
    book.open("b@h", "in-2", plan, "sip:100@h")
    found = book.get(tag="mine")
    assert found is not None and found.call == "in-1"
    assert book.get(tag="theirs") is None and book.get("b@h") is not None
