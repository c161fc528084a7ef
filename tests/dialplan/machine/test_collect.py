"""Collect: digits until a terminator, max digits or a timeout; too few, none, retries."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.machine.inputs import NOT_INTERRUPTIBLE
from tests.dialplan.transcript import Call, without_timers

PROMPT = cmd.Say("PIN", barge_in=True)


def collect(options: str = "digits 4", branches: str = "") -> Call:
    """`collect pin "PIN" <options> {branches}`, then say the PIN."""
    block = f"{{ {branches} }}" if branches else ""
    return Call.of(f"""
        route 100 -> main
        flow main {{
          start: collect pin "PIN" {options} {block}
                 say "PIN {{{{ pin }}}}"
          other: say "Other"
        }}
    """)


def waiting(call: Call) -> Call:
    """Prompt played: the first-digit timer (token 1) runs."""
    call.start(expect=[PROMPT])
    call.prompt_done()
    return call


HANDLED = 'noinput -> say "No input"; retry  nomatch -> say "No match"; retry'


# -- completing -------------------------------------------------------------------
def test_the_first_digit_timeout_starts_when_the_prompt_ends():
    call = collect()
    call.start(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])


def test_each_digit_restarts_the_timer_with_the_interdigit_time():
    call = waiting(collect())
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.press("2", expect=[cmd.CancelTimer(2), cmd.StartTimer(3, 3.0)])


def test_timeout_and_interdigit_options_set_the_waits():
    call = collect("digits 4 timeout 7s interdigit 2s")
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 7.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 2.0)])


def test_reaching_max_digits_completes_at_once():
    call = waiting(collect())
    call.press("123")
    call.press("4", expect=[cmd.CancelTimer(4), cmd.Say("PIN 1234")])
    assert call.var("pin") == "1234"


def test_the_terminator_completes_and_is_not_stored():
    call = waiting(collect("digits 1..8"))
    call.press("42")
    call.press("#", expect=[cmd.CancelTimer(3), cmd.Say("PIN 42")])
    assert call.var("pin") == "42"


def test_the_default_is_up_to_twenty_digits_ended_by_hash():
    call = waiting(collect(""))
    assert without_timers(call.press("1" * 19)) == []
    assert without_timers(call.press("2")) == [cmd.Say("PIN " + "1" * 19 + "2")]


def test_until_sets_other_terminators_and_hash_becomes_a_digit():
    call = waiting(collect('digits 1..8 until "*"'))
    assert without_timers(call.press("1#2*")) == [cmd.Say("PIN 1#2")]


def test_several_terminators_each_complete():
    call = waiting(collect('digits 1..8 until "*#"'))
    assert without_timers(call.press("7*")) == [cmd.Say("PIN 7")]


def test_the_interdigit_timeout_completes_with_enough_digits():
    call = waiting(collect("digits 2..6"))
    call.press("123", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0), cmd.CancelTimer(2),
                              cmd.StartTimer(3, 3.0), cmd.CancelTimer(3),
                              cmd.StartTimer(4, 3.0)])
    call.timeout(expect=[cmd.Say("PIN 123")])
    assert call.var("pin") == "123"


def test_an_ok_branch_runs_on_success():
    call = waiting(collect("digits 2", 'ok -> other'))
    call.press("12", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0), cmd.CancelTimer(2),
                             cmd.Say("Other")])
    assert call.var("pin") == "12"


def test_an_ok_body_without_a_jump_continues_after_the_collect():
    call = waiting(collect("digits 1", 'ok -> say "Thanks"'))
    call.press("5", expect=[cmd.CancelTimer(1), cmd.Say("Thanks")])
    call.prompt_done(expect=[cmd.Say("PIN 5")])


# -- too few, none ----------------------------------------------------------------
def test_the_first_digit_timeout_is_a_noinput():
    call = waiting(collect(branches=HANDLED))
    call.timeout(expect=[cmd.Say("No input")])
    assert call.var("pin") is None


def test_the_terminator_alone_is_a_noinput():
    call = waiting(collect(branches=HANDLED))
    call.press("#", expect=[cmd.CancelTimer(1), cmd.Say("No input")])


def test_the_terminator_after_too_few_digits_is_a_nomatch():
    call = waiting(collect(branches=HANDLED))
    assert without_timers(call.press("12#")) == [cmd.Say("No match")]
    assert call.var("pin") is None


def test_the_interdigit_timeout_after_too_few_digits_is_a_nomatch():
    call = waiting(collect(branches=HANDLED))
    call.press("12")
    call.timeout(expect=[cmd.Say("No match")])


def test_a_retry_starts_over_with_no_digits():
    call = waiting(collect(branches=HANDLED))
    call.press("12")
    call.timeout(expect=[cmd.Say("No match")])
    call.prompt_done(expect=[PROMPT])
    call.prompt_done()
    assert without_timers(call.press("3456")) == [cmd.Say("PIN 3456")]


# -- overall ----------------------------------------------------------------------
def test_overall_starts_with_the_first_digit_timeout():
    call = collect("digits 4 overall 10s")
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0), cmd.StartTimer(2, 10.0)])


def test_overall_timeout_completes_with_enough_digits():
    call = collect("digits 2..8 overall 10s")
    call.start()
    call.prompt_done()
    call.press("123")  # the interdigit timer is token 5 now
    call.send(ev.TimerFired(2), expect=[cmd.CancelTimer(5), cmd.Say("PIN 123")])


def test_overall_timeout_with_too_few_digits_is_a_nomatch():
    call = collect("digits 4 overall 10s", HANDLED)
    call.start()
    call.prompt_done()
    call.press("1")
    call.send(ev.TimerFired(2), expect=[cmd.CancelTimer(3), cmd.Say("No match")])


def test_overall_timeout_with_no_digits_is_a_noinput():
    call = collect("digits 4 overall 3s timeout 5s", HANDLED)
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0), cmd.StartTimer(2, 3.0)])
    call.send(ev.TimerFired(2), expect=[cmd.CancelTimer(1), cmd.Say("No input")])


def test_completing_cancels_the_overall_timer():
    call = collect("digits 1 overall 10s")
    call.start()
    call.prompt_done()
    call.press("9", expect=[cmd.CancelTimer(1), cmd.CancelTimer(2), cmd.Say("PIN 9")])


def test_overall_restarts_on_each_attempt():
    call = collect("digits 4 overall 10s")
    call.start()
    call.prompt_done()
    call.send(ev.TimerFired(2), expect=[cmd.CancelTimer(1), PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(3, 5.0), cmd.StartTimer(4, 10.0)])


# -- barge-in ---------------------------------------------------------------------
def test_a_digit_during_the_prompt_stops_it_and_is_collected():
    call = collect()
    call.start(expect=[PROMPT])
    call.press("1", expect=[cmd.StopPrompt(), cmd.StartTimer(1, 3.0)])
    assert without_timers(call.press("234")) == [cmd.Say("PIN 1234")]


def test_the_terminator_during_the_prompt_is_a_noinput():
    call = collect(branches=HANDLED)
    call.start(expect=[PROMPT])
    call.press("#", expect=[cmd.StopPrompt(), cmd.Say("No input")])


def test_without_barge_in_digits_during_the_prompt_are_discarded():
    call = collect("digits 4 barge_in false")
    call.start(expect=[cmd.Say("PIN", barge_in=False)])
    call.press("9", expect=[cmd.DigitDropped("9", NOT_INTERRUPTIBLE)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    assert without_timers(call.press("1234")) == [cmd.Say("PIN 1234")]


def test_a_collect_without_prompt_waits_at_once():
    call = Call.of("""
        route 100 -> main
        flow main { start: collect code digits 2; say "{{ code }}" }
    """)
    call.start(expect=[cmd.StartTimer(1, 5.0)])
    call.press("12", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0), cmd.CancelTimer(2),
                             cmd.Say("12")])


def test_a_sound_prompt_is_played_with_barge_in():
    call = Call.of("""
        route 100 -> main
        flow main { start: collect code sound "pin.wav" digits 2 }
    """)
    call.start(expect=[cmd.Play(("pin.wav",), barge_in=True)])


# -- attempts ---------------------------------------------------------------------
def test_without_handlers_failures_replay_the_prompt():
    call = waiting(collect())
    call.timeout(expect=[PROMPT])  # noinput
    call.prompt_done(expect=[cmd.StartTimer(2, 5.0)])
    assert without_timers(call.press("1#")) == [PROMPT]  # nomatch


def test_without_an_exhausted_handler_the_last_failure_hangs_up():
    call = waiting(collect())
    call.timeout()
    call.prompt_done()
    call.timeout()
    call.prompt_done()
    call.timeout(expect=[cmd.Log("info", "no valid input after 3 attempts"),
                         cmd.Hangup("normal", 480)])
    assert call.ended


def test_retry_keeps_the_count_and_the_last_failure_runs_exhausted():
    call = waiting(collect("digits 4 attempts 2", HANDLED + "  exhausted -> other"))
    call.timeout(expect=[cmd.Say("No input")])
    call.prompt_done(expect=[PROMPT])
    call.prompt_done()
    assert without_timers(call.press("1#")) == [cmd.Say("Other")]


def test_a_fresh_entry_resets_the_count():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: collect pin "PIN" digits 4 attempts 2 {
            noinput -> goto again
            exhausted -> hangup cause rejected
          }
          again: say "Again"; goto start
        }
    """)
    call.start()
    call.prompt_done()
    for _ in range(3):
        assert without_timers(call.timeout()) == [cmd.Say("Again")]
        assert without_timers(call.prompt_done()) == [PROMPT]
        call.prompt_done()
    assert not call.ended


def test_noinput_and_nomatch_both_use_up_attempts():
    call = waiting(collect("digits 4 attempts 2", "exhausted -> other"))
    call.timeout(expect=[PROMPT])
    call.prompt_done()
    assert without_timers(call.press("12#")) == [cmd.Say("Other")]


def test_collected_digits_compare_as_numbers():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: collect pin digits 4
                 if pin == 1234 { say "Right" } else { say "Wrong" }
        }
    """)
    call.start()
    assert without_timers(call.press("1234")) == [cmd.Say("Right")]


def test_leading_zeros_are_kept():
    call = Call.of("""
        route 100 -> main
        flow main { start: collect pin digits 4; say "{{ pin }}" }
    """)
    call.start()
    assert without_timers(call.press("0071")) == [cmd.Say("0071")]
    assert call.var("pin") == "0071"


def test_a_digit_during_the_prompt_also_starts_the_overall_timer():
    call = collect("digits 4 overall 10s")
    call.start(expect=[PROMPT])
    call.press("1", expect=[cmd.StopPrompt(), cmd.StartTimer(1, 10.0), cmd.StartTimer(2, 3.0)])
