"""Transfer, dial, queue, record, wait and hangup; the caller hanging up; stale events."""

from __future__ import annotations

import pytest

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from tests.dialplan.transcript import Call


def flow(body: str, extra: str = "", **kwargs: object) -> Call:
    return Call.of(f"route 100 -> main\n{extra}\nflow main {{ {body} }}", **kwargs)


# -- transfer -------------------------------------------------------------------------
TRANSFER = 'start: transfer "sip:300@pbx.example" {branches} say "after"  other: say "other"'


def transfer(branches: str = "") -> Call:
    return flow(TRANSFER.format(branches=f"{{ {branches} }}" if branches else ""))


def test_transfer_asks_the_engine_to_transfer_and_waits_at_most_its_timeout():
    call = transfer()
    call.start(expect=[cmd.Transfer("sip:300@pbx.example"), cmd.StartTimer(1, 40.0)])
    assert call.state is not None and call.state.phase == "transfer"


def test_a_successful_transfer_ends_our_leg():
    call = transfer("failed -> other")
    call.start()
    call.send(ev.TransferResult(ok=True, status=200),
              expect=[cmd.CancelTimer(1), cmd.Hangup("normal", 480)])
    assert call.ended


def test_a_failed_transfer_takes_the_failed_branch():
    call = transfer("failed -> other")
    call.start()
    call.send(ev.TransferResult(ok=False, status=486),
              expect=[cmd.CancelTimer(1), cmd.Say("other")])


def test_a_failed_transfer_without_a_branch_continues():
    call = transfer()
    call.start()
    call.send(ev.TransferResult(ok=False), expect=[cmd.CancelTimer(1), cmd.Say("after")])


def test_a_failed_branch_body_without_a_jump_continues_after_the_transfer():
    call = transfer('failed -> say "sorry"')
    call.start()
    call.send(ev.TransferResult(ok=False), expect=[cmd.CancelTimer(1), cmd.Say("sorry")])
    call.prompt_done(expect=[cmd.Say("after")])


def test_a_transfer_with_no_final_answer_in_time_takes_the_failed_branch():
    call = flow('start: transfer "sip:300@pbx.example" timeout 5s { failed -> other }'
                '  other: say "other"')
    call.start(expect=[cmd.Transfer("sip:300@pbx.example"), cmd.StartTimer(1, 5.0)])
    commands = call.timeout()
    assert commands[-1] == cmd.Say("other")
    assert any(isinstance(c, cmd.Log) and "no final answer" in c.message for c in commands)


def test_other_events_during_a_transfer_are_ignored():
    call = transfer()
    call.start()
    call.press("1", expect=[cmd.DigitDropped("1", "nothing is waiting for keys")])
    call.prompt_done(expect=[])
    call.send(ev.DialResult("answered"), expect=[])


def test_transfer_targets_are_templates():
    call = flow('start: collect ext digits 3; transfer "sip:{{ ext }}@pbx.example"')
    call.start()
    call.press("123")
    assert call.log[-2] == cmd.Transfer("sip:123@pbx.example")


def test_a_transfer_target_that_is_not_a_plain_address_is_refused_as_failed():
    call = flow('start: transfer "sip:{{ caller }}@pbx.example" { failed -> say "refused" }',
                caller="1@evil.example;x=y")
    log, say = call.start()
    assert isinstance(log, cmd.Log) and log.level == "warning"
    assert "refused target" in log.message
    assert say == cmd.Say("refused")


def test_a_transfer_target_whose_template_fails_is_refused_and_the_flow_continues():
    call = flow('start: transfer "{{ ext }}"; say "after"  other: set ext = "1"')
    log, say = call.start()
    assert isinstance(log, cmd.Log) and "target template failed" in log.message
    assert say == cmd.Say("after")


# -- dial -----------------------------------------------------------------------------
def dial(branches: str = "", options: str = "") -> Call:
    block = f"{{ {branches} }}" if branches else ""
    return flow(f'start: dial "sip:a@pbx.example", "sip:b@pbx.example" {options} {block} '
                'say "after"  other: say "other"')


DIAL = cmd.Dial(("sip:a@pbx.example", "sip:b@pbx.example"), 30.0, None)
ALL_BRANCHES = ('answered -> say "answered"  busy -> say "busy"  noanswer -> say "noanswer" '
                'failed -> say "failed"')


def test_dial_rings_every_target_with_the_default_timeout():
    call = dial()
    call.start(expect=[DIAL])
    assert call.state is not None and call.state.phase == "dialing"


def test_dial_options_set_timeout_and_caller_id():
    call = dial(options='timeout 20s caller_id "+4930123"')
    call.start(expect=[cmd.Dial(DIAL.targets, 20.0, "+4930123")])


def test_an_answered_dial_bridges_and_waits_for_the_bridge_to_end():
    call = dial(ALL_BRANCHES)
    call.start()
    call.send(ev.DialResult("answered"), expect=[])
    assert call.state is not None and call.state.phase == "bridged"
    call.send(ev.BridgeEnded(), expect=[cmd.Say("answered")])


def test_after_an_answered_dial_without_a_branch_the_flow_continues():
    call = dial()
    call.start()
    call.send(ev.DialResult("answered"), expect=[])
    call.send(ev.BridgeEnded(), expect=[cmd.Say("after")])


def test_a_bridge_end_before_an_answer_is_ignored():
    call = dial(ALL_BRANCHES)
    call.start()
    call.send(ev.BridgeEnded(), expect=[])
    assert call.state is not None and call.state.phase == "dialing"


@pytest.mark.parametrize("outcome", ["busy", "noanswer", "failed"])
def test_an_unanswered_dial_takes_the_branch_of_its_outcome(outcome: str):
    call = dial(ALL_BRANCHES)
    call.start()
    call.send(ev.DialResult(outcome), expect=[cmd.Say(outcome)])


@pytest.mark.parametrize("outcome", ["busy", "noanswer", "failed"])
def test_an_unanswered_dial_without_a_branch_continues(outcome: str):
    call = dial()
    call.start()
    call.send(ev.DialResult(outcome), expect=[cmd.Say("after")])


def test_a_dial_branch_may_jump():
    call = dial("busy, noanswer -> other")
    call.start()
    call.send(ev.DialResult("noanswer"), expect=[cmd.Say("other")])


def test_a_dial_branch_body_without_a_jump_continues_after_the_dial():
    call = dial('busy -> say "busy"')
    call.start()
    call.send(ev.DialResult("busy"), expect=[cmd.Say("busy")])
    call.prompt_done(expect=[cmd.Say("after")])


def test_a_refused_dial_target_takes_the_failed_branch_without_dialing():
    call = flow('start: dial "sip:ok@pbx.example", "{{ caller }}" { failed -> say "failed" }',
                caller="sip:x@evil.example?Header=1")
    log, say = call.start()
    assert isinstance(log, cmd.Log) and "refused target" in log.message
    assert say == cmd.Say("failed")


# -- queue ----------------------------------------------------------------------------
SUPPORT = 'queue support { agents "sip:a@127.0.0.1", "sip:b@127.0.0.1" max_wait 2m music "jazz" }'


def queue(branches: str = "", declaration: str = SUPPORT) -> Call:
    block = f"{{ {branches} }}" if branches else ""
    return flow(f'start: queue support {block} say "after"', extra=declaration)


QUEUE_BRANCHES = 'answered -> say "answered"  noanswer -> say "noanswer"  failed -> say "failed"'


def test_queue_sends_the_queue_settings_with_defaults():
    call = queue()
    call.start(expect=[cmd.Enqueue("support", ("sip:a@127.0.0.1", "sip:b@127.0.0.1"), "jazz",
                                   120.0, 20.0, "ringall")])
    assert call.state is not None and call.state.phase == "queued"


def test_queue_sends_its_declared_ring_timeout_and_strategy():
    call = queue(declaration='queue support { agents "sip:a@127.0.0.1" ring_timeout 15s '
                             'strategy roundrobin }')
    call.start(expect=[cmd.Enqueue("support", ("sip:a@127.0.0.1",), None, 300.0, 15.0,
                                   "roundrobin")])


def test_an_answered_queue_call_bridges_then_takes_the_answered_branch():
    call = queue(QUEUE_BRANCHES)
    call.start()
    call.send(ev.QueueResult("answered"), expect=[])
    assert call.state is not None and call.state.phase == "bridged"
    call.send(ev.BridgeEnded(), expect=[cmd.Say("answered")])


def test_an_answered_queue_call_without_a_branch_continues_after_the_bridge():
    call = queue()
    call.start()
    call.send(ev.QueueResult("answered"), expect=[])
    call.send(ev.BridgeEnded(), expect=[cmd.Say("after")])


@pytest.mark.parametrize("outcome", ["noanswer", "failed"])
def test_an_unanswered_queue_call_takes_the_branch_of_its_outcome(outcome: str):
    call = queue(QUEUE_BRANCHES)
    call.start()
    call.send(ev.QueueResult(outcome), expect=[cmd.Say(outcome)])


@pytest.mark.parametrize("outcome", ["noanswer", "failed"])
def test_an_unanswered_queue_call_without_a_branch_continues(outcome: str):
    call = queue()
    call.start()
    call.send(ev.QueueResult(outcome), expect=[cmd.Say("after")])


# -- record ---------------------------------------------------------------------------
def record(options: str = "") -> Call:
    return flow(f'start: record msg {options}; say "saved {{{{ msg }}}}"')


def test_record_starts_recording_with_a_beep_and_a_max_timer():
    call = record()
    call.start(expect=[cmd.StartRecording("msg", 60.0, True), cmd.StartTimer(1, 60.0)])


def test_record_options_set_max_and_beep():
    call = record("max 2m beep false")
    call.start(expect=[cmd.StartRecording("msg", 120.0, False), cmd.StartTimer(1, 120.0)])


def test_the_finish_key_stops_the_recording_and_the_result_sets_the_variable():
    call = record()
    call.start()
    call.press("#", expect=[cmd.CancelTimer(1), cmd.StopRecording()])
    call.send(ev.RecordingFinished("rec-1.wav", 4.5), expect=[cmd.Say("saved rec-1.wav")])
    assert call.var("msg") == "rec-1.wav"


def test_other_keys_do_not_stop_the_recording_and_are_reported_dropped():
    call = record()
    call.start()
    why = "not a finish key of a running `record`"
    call.press("12", expect=[cmd.DigitDropped("1", why), cmd.DigitDropped("2", why)])


def test_the_finish_option_sets_the_keys_that_stop():
    call = record('finish "*0"')
    call.start()
    call.press("#", expect=[cmd.DigitDropped("#", "not a finish key of a running `record`")])
    call.press("0", expect=[cmd.CancelTimer(1), cmd.StopRecording()])


def test_the_max_timer_stops_the_recording():
    call = record("max 30s")
    call.start(expect=[cmd.StartRecording("msg", 30.0, True), cmd.StartTimer(1, 30.0)])
    call.timeout(expect=[cmd.StopRecording()])
    call.send(ev.RecordingFinished("rec-2.wav", 30.0), expect=[cmd.Say("saved rec-2.wav")])


def test_keys_after_the_stop_are_ignored_until_the_recording_is_finished():
    call = record()
    call.start()
    call.press("#")
    call.press("#", expect=[cmd.DigitDropped("#", "the recording is already stopping")])
    assert call.state is not None and call.state.phase == "finishing"


def test_a_recording_the_engine_ends_by_itself_cancels_the_max_timer():
    call = record()
    call.start()
    call.send(ev.RecordingFinished("rec-3.wav", 2.0),
              expect=[cmd.CancelTimer(1), cmd.Say("saved rec-3.wav")])


# -- wait -----------------------------------------------------------------------------
def test_wait_starts_a_timer_and_continues_when_it_fires():
    call = flow('start: wait 2s; say "later"')
    call.start(expect=[cmd.StartTimer(1, 2.0)])
    call.timeout(expect=[cmd.Say("later")])


def test_wait_accepts_milliseconds():
    flow('start: wait 500ms').start(expect=[cmd.StartTimer(1, 0.5)])


def test_keys_during_a_wait_are_dropped_and_reported_speech_ignored():
    call = flow('start: wait 2s; say "later"')
    call.start()
    call.press("1#", expect=[cmd.DigitDropped("1", "nothing is waiting for keys"),
                             cmd.DigitDropped("#", "nothing is waiting for keys")])
    call.say("hello", expect=[])
    call.timeout(expect=[cmd.Say("later")])


# -- hangup ---------------------------------------------------------------------------
def test_hangup_defaults_to_a_normal_cause():
    call = flow('start: hangup; say "never"')
    call.start(expect=[cmd.Hangup("normal", 480)])
    assert call.ended


@pytest.mark.parametrize(("cause", "status"), [
    ("normal", 480), ("busy", 486), ("noanswer", 480), ("rejected", 603),
    ("unavailable", 480), ("notfound", 404), ("congestion", 503), ("failure", 500),
])
def test_a_named_hangup_cause_maps_to_its_sip_status(cause: str, status: int):
    flow(f"start: hangup cause {cause}").start(expect=[cmd.Hangup(cause, status)])


def test_a_numeric_hangup_cause_is_sent_as_the_sip_status():
    flow("start: hangup cause 403").start(expect=[cmd.Hangup("normal", 403)])


def test_hangup_in_a_menu_branch_leaves_no_timer_running():
    call = flow('start: menu "Go" { 1 -> hangup cause busy  12 -> start }')
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.timeout(expect=[cmd.Hangup("busy", 486)])
    assert call.timers == {}


# -- the caller hanging up ------------------------------------------------------------
def test_the_caller_hanging_up_mid_menu_cancels_its_timer_and_sends_no_hangup():
    call = flow('start: menu "Go" { 1 -> start }')
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.hang_up(expect=[cmd.CancelTimer(1)])
    assert call.ended
    assert call.state is not None and call.state.node is None


def test_the_caller_hanging_up_mid_collect_cancels_every_timer():
    call = flow('start: collect pin digits 4 overall 20s')
    call.start(expect=[cmd.StartTimer(1, 5.0), cmd.StartTimer(2, 20.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(3, 3.0)])
    call.hang_up(expect=[cmd.CancelTimer(2), cmd.CancelTimer(3)])


def test_the_caller_hanging_up_during_a_prompt_needs_no_command():
    call = flow('start: say "Hello"')
    call.start()
    call.hang_up(expect=[])
    assert call.ended


def test_the_caller_hanging_up_during_a_wait_cancels_it():
    call = flow('start: wait 10s')
    call.start()
    call.hang_up(expect=[cmd.CancelTimer(1)])


def test_the_caller_hanging_up_while_recording_cancels_the_max_timer():
    call = flow('start: record msg')
    call.start()
    call.hang_up(expect=[cmd.CancelTimer(1)])
    assert call.var("msg") is None


# -- stale and late events -------------------------------------------------------------
def test_a_timer_that_was_cancelled_is_ignored_when_it_fires_late():
    call = flow('start: menu "Go" { 1 -> pause }  pause: wait 10s; say "done"')
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 10.0)])
    before = call.state
    call.send(ev.TimerFired(1), expect=[])  # the menu's timer, not the wait's
    assert call.state == before
    call.timeout(expect=[cmd.Say("done")])


def test_an_unknown_timer_is_ignored():
    call = flow('start: wait 10s; say "done"')
    call.start()
    call.send(ev.TimerFired(99), expect=[])


@pytest.mark.parametrize("event", [
    ev.PromptFinished(), ev.Digit("1"), ev.TimerFired(1), ev.SpeechStarted(),
    ev.SpeechResult("yes"), ev.TransferResult(ok=True), ev.DialResult("answered"),
    ev.QueueResult("answered"), ev.BridgeEnded(), ev.RecordingFinished("r.wav", 1.0),
    ev.HungUp(),
])
def test_events_after_the_end_are_ignored(event: ev.Event):
    call = flow('start: menu "Go" attempts 1 { 1 -> start }')
    call.start()
    call.prompt_done()
    call.timeout()  # the only attempt: hang up
    assert call.ended
    ended = call.state
    call.send(event, expect=[])
    assert call.state == ended


def test_events_after_the_caller_hung_up_are_ignored():
    call = flow('start: wait 1s; say "never"')
    call.start()
    call.hang_up()
    call.send(ev.TimerFired(1), expect=[])
    call.prompt_done(expect=[])


def test_a_second_dial_outcome_while_bridged_is_ignored():
    call = Call.of('route 100 -> main\nflow main { s: dial "sip:a@h" { busy -> b }\n'
                   '  say "after"\n  b: hangup cause busy }')
    call.start()
    call.send(ev.DialResult("answered"), expect=[])
    call.send(ev.DialResult("busy"), expect=[])
    call.send(ev.BridgeEnded(), expect=[cmd.Say("after")])


# -- dial extension -------------------------------------------------------------------
def extension(target: str, branches: str = ALL_BRANCHES + ' unavailable -> say "away"',
              caller: str = "5551234") -> Call:
    return flow(f'start: dial extension "{target}" {{ {branches} }} say "after"',
                caller=caller)


def test_dial_extension_asks_for_the_extension_not_a_uri():
    call = extension("201")
    call.start(expect=[cmd.Dial(("201",), 30.0, None, extension=True)])


def test_an_unregistered_extension_takes_the_unavailable_branch():
    call = extension("201")
    call.start()
    call.send(ev.DialResult("unavailable"), expect=[cmd.Say("away")])


def test_without_an_unavailable_branch_an_unreachable_party_failed():
    call = extension("201", branches='failed -> say "failed"')
    call.start()
    call.send(ev.DialResult("unavailable"), expect=[cmd.Say("failed")])


def test_an_extension_made_of_caller_input_must_be_a_number():
    call = extension("{{ caller }}", caller="201@evil.example")
    log, say = call.start()
    assert isinstance(log, cmd.Log) and "not an extension number" in log.message
    assert say == cmd.Say("failed")
