"""Listen: one of a set of phrases into a variable; confidence, silence, retries."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from tests.dialplan.transcript import Call, without_timers

PHRASES = ("yes", "no", "yes please")
LISTEN = cmd.StartListening(PHRASES)
PROMPT = cmd.Say("Yes or no?", barge_in=True)
HANDLED = 'noinput -> say "No input"; retry  nomatch -> say "No match"; retry'


def listen(options: str = "", branches: str = "") -> Call:
    block = f"{{ {branches} }}" if branches else ""
    return Call.of(f"""
        route 100 -> main
        flow main {{
          start: listen answer "Yes or no?" phrases "yes", "No", "Yes  Please" {options} {block}
                 say "You said {{{{ answer }}}}"
          other: say "Other"
        }}
    """)


def waiting(call: Call) -> Call:
    call.start(expect=[LISTEN, PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    return call


def test_listen_starts_the_recognizer_then_plays_the_prompt_with_barge_in():
    call = listen()
    call.start(expect=[cmd.StartListening(("yes", "no", "yes please")),
                       cmd.Say("Yes or no?", barge_in=True)])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])


def test_a_known_phrase_is_stored_and_the_flow_continues():
    call = waiting(listen())
    call.say("no", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("You said no")])
    assert call.var("answer") == "no"


def test_a_phrase_is_matched_ignoring_case_and_spacing():
    call = waiting(listen())
    call.say("  YES   please ", expect=[cmd.CancelTimer(1), cmd.StopListening(),
                                       cmd.Say("You said yes please")])


def test_an_ok_branch_runs_on_a_match():
    call = waiting(listen(branches="ok -> other"))
    call.say("yes", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("Other")])
    assert call.var("answer") == "yes"


def test_an_unknown_phrase_is_a_nomatch():
    call = waiting(listen(branches=HANDLED))
    call.say("maybe", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("No match")])
    assert call.var("answer") is None


def test_empty_speech_is_a_noinput():
    call = waiting(listen(branches=HANDLED))
    call.say("", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("No input")])


def test_silence_until_the_timeout_is_a_noinput():
    call = waiting(listen(branches=HANDLED))
    call.timeout(expect=[cmd.StopListening(), cmd.Say("No input")])


def test_a_key_press_is_a_nomatch():
    call = waiting(listen(branches=HANDLED))
    call.press("1", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("No match")])


def test_a_phrase_below_the_confidence_threshold_is_a_nomatch():
    call = waiting(listen("confidence 0.7", HANDLED))
    call.say("yes", 0.5, expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("No match")])


def test_a_phrase_at_the_confidence_threshold_is_accepted():
    call = waiting(listen("confidence 0.7"))
    call.say("yes", 0.7, expect=[cmd.CancelTimer(1), cmd.StopListening(),
                                 cmd.Say("You said yes")])


def test_speech_started_swaps_the_timeout_for_the_utterance_cap():
    call = waiting(listen())
    call.send(ev.SpeechStarted(), expect=[cmd.CancelTimer(1), cmd.StartTimer(2, 20.0)])
    call.say("yes", expect=[cmd.CancelTimer(2), cmd.StopListening(), cmd.Say("You said yes")])


def test_a_recognizer_that_never_answers_counts_as_noinput():
    call = waiting(listen())
    call.send(ev.SpeechStarted())
    call.timeout()
    assert call.state is not None and call.state.attempts == 1


def test_speech_during_the_prompt_stops_it():
    call = listen()
    call.start(expect=[LISTEN, PROMPT])
    call.send(ev.SpeechStarted(), expect=[cmd.StopPrompt(), cmd.StartTimer(1, 20.0)])
    call.say("no", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("You said no")])
    call.prompt_done(expect=[])  # the stopped prompt's end
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])


def test_a_result_during_the_prompt_without_speech_started_also_barges_in():
    call = listen()
    call.start()
    call.say("no", expect=[cmd.StopPrompt(), cmd.StopListening(), cmd.Say("You said no")])


def test_without_barge_in_speech_during_the_prompt_is_discarded():
    call = listen("barge_in false")
    call.start(expect=[LISTEN, cmd.Say("Yes or no?", barge_in=False)])
    call.send(ev.SpeechStarted(), expect=[])
    call.say("yes", expect=[])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    call.say("no", expect=[cmd.CancelTimer(1), cmd.StopListening(), cmd.Say("You said no")])


def test_without_handlers_a_failure_listens_and_prompts_again():
    call = waiting(listen())
    call.say("maybe", expect=[cmd.CancelTimer(1), cmd.StopListening(), LISTEN, PROMPT])


def test_retry_keeps_the_count_and_the_last_failure_runs_exhausted():
    call = waiting(listen("attempts 2", HANDLED + "  exhausted -> other"))
    call.timeout(expect=[cmd.StopListening(), cmd.Say("No input")])
    call.prompt_done(expect=[LISTEN, PROMPT])
    call.prompt_done()
    call.say("maybe", expect=[cmd.CancelTimer(2), cmd.StopListening(), cmd.Say("Other")])


def test_without_an_exhausted_handler_the_last_failure_hangs_up():
    call = waiting(listen("attempts 1"))
    call.timeout(expect=[cmd.StopListening(), cmd.Log("info", "no valid input after 1 attempts"),
                         cmd.Hangup("normal", 480)])
    assert call.ended


def test_a_fresh_entry_resets_the_count():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: listen answer "Yes?" phrases "yes" attempts 2 {
            nomatch -> goto start
            exhausted -> hangup cause busy
          }
        }
    """)
    call.start()
    call.prompt_done()
    for _ in range(3):
        assert without_timers(call.say("what")) == [
            cmd.StopListening(), cmd.StartListening(("yes",)), cmd.Say("Yes?", barge_in=True)]
        call.prompt_done()
    assert not call.ended
