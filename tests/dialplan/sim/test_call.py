"""The virtual call: what the caller perceives as they press, speak, wait and choose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dialplan.sim import SimulationError, VirtualCall, parse_instant
from dialplan.sim import perceived as seen
from dialplan.sim.prompts import prompt_timing
from tests.dialplan.transcript import compile_ok

DEMO = Path("examples/dialplans/demo.dialplan").read_text()
MENU_PROMPT = seen.Heard("Press 1 to hear goodbye. Press 2 to be transferred.")


def call_of(text: str, **kwargs: object) -> VirtualCall:
    call = VirtualCall(compile_ok(text), **kwargs)  # type: ignore[arg-type]
    call.start()
    return call


def flow(body: str, extra: str = "", **kwargs: object) -> VirtualCall:
    return call_of(f"route 100 -> main\n{extra}\nflow main {{ {body} }}", **kwargs)


def test_the_demo_answers_welcomes_and_waits_in_the_menu():
    call = call_of(DEMO)
    assert call.transcript == [seen.Answered(), seen.Heard("Welcome to the dialplan demo."),
                               MENU_PROMPT]
    assert call.where == "demo.menu"
    assert call.states_reached == ["demo.start", "demo.menu"]


def test_a_timer_fires_only_once_its_time_has_passed():
    call = call_of(DEMO)
    assert call.wait(4.9) == []
    assert call.wait(0.1) == [MENU_PROMPT]
    assert call.clock.elapsed == 5.0


def test_a_long_wait_fires_every_timer_due_within_it_in_order():
    call = call_of(DEMO)
    assert call.wait(60) == [MENU_PROMPT, MENU_PROMPT, seen.Ended("normal", 480)]
    assert call.ended and call.clock.elapsed == 60


def test_a_transfer_waits_for_the_outcome_the_user_picks():
    call = call_of(DEMO)
    assert call.press("2") == [seen.Requested("transfer", ("sip:200@127.0.0.1:5070",))]
    assert call.situation == "transfer"
    assert call.choose("fail") == [seen.Heard("The transfer failed."), seen.Heard("Goodbye."),
                                   seen.Ended("normal", 480)]


def test_an_outcome_with_nothing_pending_is_refused():
    call = call_of(DEMO)
    with pytest.raises(SimulationError, match="nothing is pending"):
        call.choose("answer")


def test_an_outcome_that_does_not_fit_the_request_is_refused():
    call = flow('start: transfer "sip:1@pbx"')
    with pytest.raises(SimulationError, match="no outcome for a transfer"):
        call.choose("end")


def test_keys_that_are_not_dtmf_are_refused():
    with pytest.raises(SimulationError, match="not DTMF"):
        call_of(DEMO).press("1a")


def test_nothing_can_be_done_on_an_ended_call():
    call = call_of(DEMO)
    call.hang_up()
    assert call.transcript[-1] == seen.Ended("normal", 200, by_caller=True)
    with pytest.raises(SimulationError, match="ended"):
        call.press("1")


def test_a_dial_answered_then_ended_by_the_far_party_continues_the_flow():
    call = flow('start: dial "sip:a@pbx" { answered -> say "after" }')
    assert call.pending == seen.Requested("dial", ("sip:a@pbx",))
    assert call.choose("answer") == []
    assert call.situation == "bridged"
    assert call.choose("end") == [seen.Heard("after"), seen.Ended("normal", 480)]


def test_a_dial_nobody_answers_gives_up_at_its_timeout():
    call = flow('start: dial "sip:a@pbx" timeout 20s { noanswer -> say "nobody" }')
    assert call.wait(19) == []
    assert call.wait(1) == [seen.Heard("nobody"), seen.Ended("normal", 480)]


def test_a_queue_holds_until_max_wait_and_has_no_busy_outcome():
    call = flow('start: queue q { noanswer -> say "still busy" }',
                extra='queue q { agents "sip:a@pbx" max_wait 1m }')
    assert call.pending == seen.Requested("queue", ("q",))
    with pytest.raises(SimulationError, match="choose one of"):
        call.choose("busy")
    assert call.wait(60)[0] == seen.Heard("still busy")


def test_a_recording_ends_on_its_finish_key_and_stores_its_id():
    call = flow('start: record msg max 1m finish "#"; say "saved {{ msg }}"')
    assert call.transcript[-1] == seen.Recording("msg", True)
    call.wait(3)
    assert call.press("#") == [seen.Heard("saved recording-1"), seen.Ended("normal", 480)]


def test_speech_reaches_the_plan_only_while_it_listens():
    call = flow('start: menu "Say sales." { "sales" -> say "Sales." }  other: say "x"')
    assert call.say("sales") == [seen.Heard("Sales."), seen.Ended("normal", 480)]
    quiet = flow('start: wait 5s')
    assert isinstance(quiet.say("hello")[0], seen.Note)


def test_timed_prompts_play_for_a_while_and_barge_in_stops_them():
    call = call_of(DEMO, prompt_time=lambda heard: 3.0)
    assert call.transcript[-1] == seen.Heard("Welcome to the dialplan demo.")
    assert call.wait(3) == [MENU_PROMPT]
    assert call.performer.playing == MENU_PROMPT
    assert call.press("1") == [seen.Heard("Goodbye.")]  # barge-in: the menu prompt stops


def test_the_clock_gives_the_plan_its_time_of_day():
    plan = Path("examples/dialplans/main_menu.dialplan").read_text()
    open_hours = call_of(plan, number="1000", at=parse_instant("2026-12-22 10:00 Europe/Berlin"))
    assert open_hours.where == "reception.menu"
    holiday = call_of(plan, number="1000", at=parse_instant("2026-12-24 10:00 Europe/Berlin"))
    assert "reception.closed" in holiday.states_reached


def test_a_plan_that_never_waits_is_stopped_with_a_message():
    with pytest.raises(SimulationError, match="without waiting"):
        flow('start: say "again"; goto start')


def test_the_default_start_is_a_fixed_aware_instant():
    call = call_of(DEMO)
    assert call.clock.now == dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("timing", "seconds"), [("instant", 0.0), ("2s", 2.0),
                                                 ("250ms", 0.25), ("spoken", 2.0)])
def test_prompt_timings_by_name(timing, seconds):
    assert prompt_timing(timing)(seen.Heard("one two three four five")) == seconds


def test_an_unknown_prompt_timing_is_refused():
    with pytest.raises(ValueError, match="instant, spoken"):
        prompt_timing("slow")


def test_progress_shows_early_media_and_the_prompts_heard_before_the_answer():
    call = flow('s: progress; say "Please hold."; answer; say "Hello."; hangup')
    assert [str(item) for item in call.transcript] == [
        "sends progress (183): early media",
        'says "Please hold." (early media, before the answer)',
        "answers",
        'says "Hello."',
        "hangs up (normal)",
    ]
    assert call.transcript[1] == seen.Heard("Please hold.")  # compared by what was said


def test_a_key_during_a_play_is_typed_ahead_for_the_collect_after_it():
    call = flow('say "Press one."; collect d digits 1 until "" timeout 15s '
                '{ exhausted -> hangup }  say "got {{ d }}"', prompt_time=lambda _: 1.0)
    assert call.press("1") == [seen.Note("info", "key 1 kept for the next menu or collect "
                                                 "(typed ahead during a prompt)")]
    assert call.wait(1.0) == [seen.Heard("got 1")]


def test_a_key_typed_ahead_of_a_wait_is_shown_as_ignored():
    call = flow('say "Hello."; wait 2s; say "later"', prompt_time=lambda _: 1.0)
    call.press("7")
    assert call.wait(1.0) == [seen.Note("info", "key 7 ignored: typed ahead, but `wait` "
                                                "came next")]
