"""Menus: prompt and barge-in, keys (also multi-digit), spoken options, timeouts, retries."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.machine.inputs import NOT_INTERRUPTIBLE
from tests.dialplan.transcript import Call, without_timers

PROMPT = cmd.Say("Press 1", barge_in=True)


def menu(options: str = "", branches: str = "", prompt: str = '"Press 1"') -> Call:
    """A menu at the start of flow `main`; key 1 goes to `one`, key 2 to `two`."""
    return Call.of(f"""
        route 100 -> main
        flow main {{
          start: menu {prompt} {options} {{
            1 -> one
            2 -> two
            {branches}
          }}
          one: say "One"
          two: say "Two"
          after: say "After"
        }}
    """)


def started(call: Call) -> Call:
    """Play the prompt to its end: the first-input timer (token 1, 5s) is running."""
    call.start(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    return call


# -- prompt and barge-in ----------------------------------------------------------
def test_prompt_plays_with_barge_in_and_the_timeout_starts_when_it_ends():
    call = menu()
    call.start(expect=[cmd.Say("Press 1", barge_in=True)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    assert call.where == "main.start"


def test_a_matching_key_cancels_the_timer_and_takes_its_branch():
    call = started(menu())
    call.press("2", expect=[cmd.CancelTimer(1), cmd.Say("Two")])
    assert call.where == "main.two"


def test_a_key_during_the_prompt_stops_it_and_counts_as_input():
    call = menu()
    call.start(expect=[PROMPT])
    call.press("1", expect=[cmd.StopPrompt(), cmd.Say("One")])
    assert call.where == "main.one"


def test_without_barge_in_the_prompt_is_not_interruptible():
    call = menu("barge_in false")
    call.start(expect=[cmd.Say("Press 1", barge_in=False)])


def test_without_barge_in_keys_during_the_prompt_are_discarded():
    call = menu("barge_in false")
    call.start(expect=[cmd.Say("Press 1", barge_in=False)])
    call.press("2", expect=[cmd.DigitDropped("2", NOT_INTERRUPTIBLE)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.Say("One")])


def test_without_barge_in_speech_during_the_prompt_is_discarded():
    call = menu("barge_in false", '"sales" -> two')
    call.start(expect=[cmd.StartListening(("sales",)), cmd.Say("Press 1", barge_in=False)])
    call.send(ev.SpeechStarted(), expect=[])
    call.say("sales", expect=[])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])


def test_a_sound_prompt_is_played_with_barge_in():
    call = menu('sound "menu.wav"', prompt="")
    call.start(expect=[cmd.Play(("menu.wav",), barge_in=True)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])


def test_a_menu_without_prompt_starts_waiting_at_once():
    call = menu(prompt="")
    call.start(expect=[cmd.StartTimer(1, 5.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.Say("One")])


def test_prompt_text_is_a_template():
    call = Call.of("""
        route 100 -> main
        set company = "Acme"
        flow main { start: menu "Acme is {{ company }}" { 1 -> start } }
    """)
    call.start(expect=[cmd.Say("Acme is Acme", barge_in=True)])


def test_prompt_with_a_variable_undefined_at_run_time_logs_a_warning_and_still_plays():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: menu "Hello {{ name }}" { 1 -> other }
          other: set name = "Bob"
        }
    """)
    log, say = call.start()
    assert isinstance(log, cmd.Log) and log.level == "warning"
    assert "prompt template" in log.message and "name" in log.message
    assert say == cmd.Say("Hello ", barge_in=True)


def test_prompt_voice_options_are_passed_on():
    call = menu('voice "anna" rate 90 language "de-DE"')
    call.start(expect=[cmd.Say("Press 1", "anna", 90, "de-DE", barge_in=True)])


def test_the_finished_event_of_a_barged_in_prompt_does_not_end_the_next_prompt():
    """After StopPrompt the engine still reports PromptFinished for the stopped prompt."""
    call = menu()
    call.start(expect=[PROMPT])
    call.press("9", expect=[cmd.StopPrompt(), PROMPT])  # nomatch: the prompt again
    call.prompt_done(expect=[])  # the stopped prompt's end, not the replay's
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])


def test_the_finished_event_of_a_barged_in_prompt_does_not_cut_the_branch_say_short():
    call = menu()
    call.start(expect=[PROMPT])
    call.press("1", expect=[cmd.StopPrompt(), cmd.Say("One")])
    call.prompt_done(expect=[])  # the menu prompt, stopped
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])  # "One" has ended


# -- keys -------------------------------------------------------------------------
def test_multi_digit_key_is_chosen_as_soon_as_it_is_complete():
    call = started(menu(branches="12 -> after"))
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.press("2", expect=[cmd.CancelTimer(2), cmd.Say("After")])


def test_prefix_of_a_longer_key_is_chosen_when_the_interdigit_timer_fires():
    call = started(menu(branches="12 -> after"))
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.timeout(expect=[cmd.Say("One")])
    assert call.where == "main.one"


def test_prefix_that_is_no_key_is_a_nomatch_when_the_interdigit_timer_fires():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: menu "Code" { 12 -> ok  nomatch -> say "Wrong"; retry }
          ok: say "OK"
        }
    """)
    call.start(expect=[cmd.Say("Code", barge_in=True)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.timeout(expect=[cmd.Say("Wrong")])


def test_digits_that_leave_every_key_behind_are_a_nomatch_at_once():
    call = started(menu(branches="12 -> after  nomatch -> say \"No\"; retry"))
    call.press("1")
    call.press("3", expect=[cmd.CancelTimer(2), cmd.Say("No")])


def test_interdigit_option_sets_the_wait_between_keys():
    call = Call.of("""
        route 100 -> main
        flow main { start: menu "Ext" interdigit 1.5s timeout 8s { 21 -> start  22 -> start } }
    """)
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 8.0)])
    call.press("2", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 1.5)])


def test_star_and_hash_are_keys_too():
    call = started(menu(branches="* -> after  # -> after"))
    call.press("#", expect=[cmd.CancelTimer(1), cmd.Say("After")])


def test_several_keys_may_share_one_branch():
    call = Call.of("""
        route 100 -> main
        flow main { start: menu "Go" { 1, 2, 3 -> there }  there: say "There" }
    """)
    call.start()
    call.prompt_done()
    call.press("3", expect=[cmd.CancelTimer(1), cmd.Say("There")])


def test_a_branch_body_without_a_jump_continues_after_the_menu():
    call = Call.of("""
        route 100 -> main
        flow main { start: menu "Go" { 1 -> say "One" } say "Then" }
    """)
    call.start()
    call.prompt_done()
    call.press("1", expect=[cmd.CancelTimer(1), cmd.Say("One")])
    call.prompt_done(expect=[cmd.Say("Then")])
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])


# -- speech -----------------------------------------------------------------------
def speech_menu(options: str = "") -> Call:
    return Call.of(f"""
        route 100 -> main
        flow main {{
          start: menu "Say sales" {options} {{
            1, "sales", "Sales Team" -> sales
            noinput -> say "Silence"; retry
            nomatch -> say "Pardon"; retry
          }}
          sales: say "Sales"
        }}
    """)


def test_spoken_options_are_listened_for_while_the_menu_waits():
    call = speech_menu()
    call.start(expect=[cmd.StartListening(("sales", "sales team")),
                       cmd.Say("Say sales", barge_in=True)])


def test_a_spoken_option_takes_its_branch_and_stops_listening():
    call = speech_menu()
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.say("  Sales   TEAM ", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Sales")])


def test_speech_started_swaps_the_timeout_for_the_utterance_cap():
    call = speech_menu()
    call.start()
    call.prompt_done()
    call.send(ev.SpeechStarted(), expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 20.0)])
    call.say("sales", expect=[cmd.CancelTimer(2), cmd.StopListening(), cmd.Say("Sales")])


def test_speech_during_the_prompt_barges_in():
    call = speech_menu()
    call.start()
    call.send(ev.SpeechStarted(), expect=[cmd.StopPrompt(), cmd.StartTimer(1, 20.0)])
    call.say("sales", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Sales")])


def test_an_unknown_word_is_a_nomatch():
    call = speech_menu()
    call.start()
    call.prompt_done()
    call.say("billing", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Pardon")])


def test_empty_speech_is_a_noinput():
    call = speech_menu()
    call.start()
    call.prompt_done()
    call.say("  ", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Silence")])


def test_a_word_heard_below_the_confidence_threshold_is_a_nomatch():
    call = speech_menu("confidence 0.6")
    call.start()
    call.prompt_done()
    call.say("sales", 0.59, expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Pardon")])


def test_a_word_heard_at_the_confidence_threshold_is_accepted():
    call = speech_menu("confidence 0.6")
    call.start()
    call.prompt_done()
    call.say("sales", 0.6, expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Sales")])


def test_a_retry_listens_again():
    call = speech_menu()
    call.start()
    call.prompt_done()
    call.say("what", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Pardon")])
    call.prompt_done(expect=[cmd.StartListening(("sales", "sales team")),
                             cmd.Say("Say sales", barge_in=True)])


# -- failures, handlers, attempts -------------------------------------------------
HANDLED = 'noinput -> say "No input"; retry  nomatch -> say "No match"; retry'


def test_first_input_timeout_runs_the_noinput_handler():
    call = started(menu(branches=HANDLED))
    call.timeout(expect=[cmd.Say("No input")])
    call.prompt_done(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(2, 5.0)])


def test_a_wrong_key_runs_the_nomatch_handler():
    call = started(menu(branches=HANDLED))
    call.press("7", expect=[cmd.CancelTimer(1), cmd.Say("No match")])
    call.prompt_done(expect=[PROMPT])


def test_the_timeout_option_sets_the_first_input_wait():
    call = menu("timeout 10s")
    call.start()
    call.prompt_done(expect=[cmd.StartTimer(1, 10.0)])


def test_without_a_noinput_handler_a_timeout_replays_the_prompt():
    call = started(menu())
    call.timeout(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(2, 5.0)])


def test_without_a_nomatch_handler_a_wrong_key_replays_the_prompt():
    call = started(menu())
    call.press("7", expect=[cmd.CancelTimer(1), PROMPT])


def test_a_handler_jumping_elsewhere_leaves_the_menu():
    call = started(menu(branches="noinput -> after"))
    call.timeout(expect=[cmd.Say("After")])
    assert call.where == "main.after"


def test_retry_keeps_the_attempt_count_until_exhausted():
    call = started(menu(branches=HANDLED + '  exhausted -> say "Bye"; hangup cause busy'))
    call.timeout(expect=[cmd.Say("No input")])  # attempt 1 of 3
    call.prompt_done(expect=[PROMPT])
    call.prompt_done()
    call.press("7", expect=[cmd.CancelTimer(2), cmd.Say("No match")])  # attempt 2
    call.prompt_done(expect=[PROMPT])
    call.prompt_done()
    call.timeout(expect=[cmd.Say("Bye")])  # attempt 3: the last one
    call.prompt_done(expect=[cmd.Hangup("busy", 486)])


def test_default_retries_count_attempts_too():
    call = started(menu("attempts 2", 'exhausted -> after'))
    call.timeout(expect=[PROMPT])
    call.prompt_done()
    call.press("9", expect=[cmd.CancelTimer(2), cmd.Say("After")])


def test_the_attempts_option_sets_how_many_failures_end_the_menu():
    call = started(menu("attempts 1", 'noinput -> say "never"  exhausted -> after'))
    call.timeout(expect=[cmd.Say("After")])


def test_without_an_exhausted_handler_the_call_hangs_up_after_the_last_attempt():
    call = started(menu("attempts 2"))
    call.timeout(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(2, 5.0)])
    call.timeout(expect=[cmd.Log("info", "no valid input after 2 attempts"),
                         cmd.Hangup("normal", 480)])
    assert call.ended


def test_exhausted_also_cancels_a_pending_interdigit_timer():
    call = started(menu("attempts 1", "12 -> after"))
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 3.0)])
    call.press("5", expect=[cmd.CancelTimer(2), cmd.Log("info", "no valid input after 1 attempts"),
                            cmd.Hangup("normal", 480)])


def test_an_exhausted_body_without_a_jump_continues_after_the_menu():
    call = Call.of("""
        route 100 -> main
        flow main { start: menu "Go" attempts 1 { 1 -> start  exhausted -> say "Oh" } say "Then" }
    """)
    call.start()
    call.prompt_done()
    call.timeout(expect=[cmd.Say("Oh")])
    call.prompt_done(expect=[cmd.Say("Then")])


def test_a_fresh_entry_into_the_menu_resets_the_attempt_count():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: menu "Go" attempts 2 {
            1 -> start
            noinput -> say "Again"; goto start
            exhausted -> hangup cause busy
          }
        }
    """)
    call.start()
    for _ in range(4):  # each noinput re-enters the state: never the second attempt
        call.prompt_done()
        assert without_timers(call.timeout()) == [cmd.Say("Again")]
        assert call.state is not None and call.state.attempts == 1
        assert without_timers(call.prompt_done()) == [cmd.Say("Go", barge_in=True)]
        assert call.state.attempts == 0


def test_a_successful_choice_after_failures_leaves_normally():
    call = started(menu())
    call.timeout()
    call.prompt_done()
    call.timeout()
    call.prompt_done()
    call.press("1", expect=[cmd.CancelTimer(3), cmd.Say("One")])


def test_a_timer_started_by_an_earlier_attempt_is_stale():
    call = started(menu())
    call.press("9")  # nomatch cancels timer 1 and replays
    call.send(ev.TimerFired(1), expect=[])
    assert call.state is not None and call.state.attempts == 1


def test_a_multi_digit_key_may_begin_during_the_prompt():
    call = menu(branches="12 -> after")
    call.start(expect=[PROMPT])
    call.press("1", expect=[cmd.StopPrompt(), cmd.StartTimer(1, 3.0)])
    call.press("2", expect=[cmd.CancelTimer(1), cmd.Say("After")])


def test_a_retry_of_a_menu_without_prompt_waits_again_at_once():
    call = menu(prompt="")
    call.start(expect=[cmd.StartTimer(1, 5.0)])
    call.timeout(expect=[cmd.StartTimer(2, 5.0)])
    call.press("7", expect=[cmd.CancelTimer(2), cmd.StartTimer(3, 5.0)])
    assert call.state is not None and call.state.attempts == 2


def test_two_barge_ins_in_a_row_each_swallow_their_own_prompt_end():
    call = menu()
    call.start(expect=[PROMPT])
    call.press("9", expect=[cmd.StopPrompt(), PROMPT])
    call.press("9", expect=[cmd.StopPrompt(), PROMPT])
    call.prompt_done(expect=[])
    call.prompt_done(expect=[])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
