"""The call log's lines: the JSON is exactly what `dataclasses.asdict` + `json.dumps`
gave before the encoder stopped copying, and nothing is built while INFO is off."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from dialplan.machine import CallInfo, CallState
from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.runtime import calllog
from dialplan.runtime.calllog import CallLog
from dialplan.wording.said import Said

COMMANDS: list[cmd.Command] = [
    cmd.Answer(), cmd.Ring(early_media=True), cmd.Play(("welcome", "menu"), True, "fr"),
    cmd.Say("Zwölf Euro, «merci»", parts=(Said("Zwölf", ("12",)), Said(" Euro"))),
    cmd.StartTimer(3, 1.5), cmd.Dial(("sip:200@h",), 20.0, caller_id=None),
    cmd.Fetch(1, "acct", "https://x/y", "POST", body=(("pin", "1234"),)),
    cmd.Hangup("busy", 486), cmd.StartRecording("msg", 30.0),
]
EVENTS: list[ev.Event] = [
    ev.Digit("5"), ev.TimerFired(3), ev.HungUp(), ev.RecordingFinished("/r/1.wav", 2.5),
    ev.FetchResult(1, "ok", 200, (("acct.balance", 12.5), ("acct.ok", True))),
    ev.SpeechResult("oui", 0.9), ev.PromptFinished(),
]


def old_brief(item: Any) -> dict[str, Any]:
    """The encoding the call log used to do (asdict's deep copy)."""
    data = asdict(item)
    if isinstance(item, cmd.Fetch):
        data["body"] = [key for key, _ in item.body]
    elif isinstance(item, ev.FetchResult):
        data["values"] = len(item.values)
    return {"type": type(item).__name__, **data}


@pytest.mark.parametrize("item", [*COMMANDS, *EVENTS], ids=lambda i: type(i).__name__)
def test_each_command_and_event_encodes_as_asdict_and_json_dumps_did(item: Any) -> None:
    record = {"call": "in-1", "event": "event", "input": calllog._brief(item)}
    before = {"call": "in-1", "event": "event", "input": old_brief(item)}
    assert calllog._encode(record) == json.dumps(before, ensure_ascii=False, default=str)


def test_values_json_lacks_are_written_as_their_text() -> None:
    record = {"path": Path("/tmp/a b.wav"), "kinds": {"x"}}
    assert calllog._encode(record) == json.dumps(record, ensure_ascii=False, default=str)


STATE = CallState(version="v1", node=1, flow="main", state="menu")


def test_a_step_logs_its_event_its_commands_and_the_state_entered(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dialplan.calls")
    log = CallLog("in-7", "v1", "abc@host")
    log.started(CallInfo(caller="201", called="100"), STATE, [cmd.Answer(), cmd.Log("info", "x")])
    log.step(ev.Digit("1"), STATE, [cmd.Hangup()])
    log.ended(by_flow=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "dialplan.calls"]
    assert [line.split(" ", 1)[0] for line in lines] == [
        "call_started", "state_entered", "event", "call_ended"]
    step = json.loads(lines[2].split(" ", 1)[1])
    assert step == {"call": "in-7", "version": "v1", "event": "event",
                    "input": {"type": "Digit", "key": "1"},
                    "commands": [{"type": "Hangup", "cause": "normal", "sip_status": 480}],
                    "sip_call_id": "abc@host"}
    assert json.loads(lines[3].split(" ", 1)[1])["last_state"] == "main.menu"


def test_nothing_is_encoded_while_info_is_off_but_the_last_state_is_still_kept(
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.WARNING, logger="dialplan.calls")
    monkeypatch.setattr(calllog, "_brief", lambda item: pytest.fail("encoded while off"))
    log = CallLog("in-8", "v1")
    log.started(CallInfo(caller="201", called="100"), STATE, [cmd.Answer()])
    log.step(ev.Digit("1"), STATE, [cmd.Hangup()])
    log.ended(by_flow=False)
    assert log.where == "main.menu"
    assert not [r for r in caplog.records if r.name == "dialplan.calls"]
