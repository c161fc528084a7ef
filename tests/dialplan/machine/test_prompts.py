"""Answer, ringing, progress, play and say: what each emits and when the flow moves on."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.machine.inputs import NOT_INTERRUPTIBLE
from tests.dialplan.transcript import Call, without_timers


def flow(body: str, extra: str = "") -> Call:
    return Call.of(f"route 100 -> main\n{extra}\nflow main {{ start: {body} }}")


def test_answer_is_sent_once_and_the_flow_continues_at_once():
    call = flow('answer; answer; say "Hi"')
    call.start(expect=[cmd.Answer(), cmd.Say("Hi")])


def test_ringing_sends_180_without_early_media():
    call = flow('ringing; say "Hi"')
    call.start(expect=[cmd.Ring(early_media=False), cmd.Say("Hi")])


def test_progress_sends_183_with_early_media():
    call = flow('progress; play "tone.wav"')
    call.start(expect=[cmd.Ring(early_media=True), cmd.Play(("tone.wav",))])


def test_play_waits_for_the_prompt_to_finish():
    call = flow('answer; play "a.wav", "b.wav"; say "Next"')
    call.start(expect=[cmd.Answer(), cmd.Play(("a.wav", "b.wav"), barge_in=False)])
    assert call.state is not None and call.state.phase == "prompt"
    call.prompt_done(expect=[cmd.Say("Next")])


def test_say_waits_for_the_prompt_to_finish_then_the_state_ends_with_a_hangup():
    call = flow('say "One"; say "Two"')
    call.start(expect=[cmd.Say("One")])
    call.prompt_done(expect=[cmd.Say("Two")])
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])
    assert call.ended


def test_digits_during_a_plain_say_are_kept_and_dropped_if_no_input_follows():
    call = flow('say "Listen"; hangup')
    call.start(expect=[cmd.Say("Listen")])
    call.press("1#", expect=[])
    call.send(ev.SpeechResult("hello"), expect=[])
    why = "typed ahead, but the call ended"
    call.prompt_done(expect=[cmd.Hangup("normal", 480), cmd.DigitDropped("1", why),
                             cmd.DigitDropped("#", why)])


def test_a_digit_during_a_late_play_is_taken_by_the_collect_after_it():
    """The lost digit of issue 15: the '1' came while the prompt (started late) still
    played; the collect right after it takes it at once, without a timeout."""
    call = flow('play "press_one"; collect d digits 1 until "" timeout 15s { '
                'exhausted -> hangup }  if d == "1" { say "one" }')
    call.start(expect=[cmd.Play(("press_one",))])
    call.press("1", expect=[])
    call.prompt_done(expect=[cmd.Say("one")])


def test_typed_ahead_digits_skip_the_menu_prompt_and_the_rest_goes_on():
    call = flow('play "hi"; menu "Press 1" { 1 -> say "one" } '
                'collect d "Code" digits 2 { ok -> say "code {{ d }}" }',
                extra="")
    call.start(expect=[cmd.Play(("hi",))])
    call.press("123", expect=[])
    assert without_timers(call.prompt_done()) == [cmd.Say("one")]
    assert without_timers(call.prompt_done()) == [cmd.Say("code 23")]


def test_typed_ahead_digits_are_dropped_at_a_menu_without_barge_in():
    call = flow('say "hi"; menu "Press 1" barge_in false { 1 -> hangup }')
    call.start(expect=[cmd.Say("hi")])
    call.press("1", expect=[])
    call.prompt_done(expect=[cmd.DigitDropped("1", f"typed ahead, but {NOT_INTERRUPTIBLE}"),
                             cmd.Say("Press 1", barge_in=False)])


def test_say_passes_voice_rate_and_language():
    call = flow('say "Hallo" voice "anna" rate 120 language "de-DE"')
    call.start(expect=[cmd.Say("Hallo", voice="anna", rate=120, language="de-DE")])


def test_say_renders_global_variables():
    call = flow('say "Welcome to {{ company }}."', extra='set company = "Acme"')
    call.start(expect=[cmd.Say("Welcome to Acme.")])


def test_say_renders_call_facts():
    call = Call.of('route 100 -> main  flow main { start: say "{{ caller }} called {{ called }}" }',
                   caller="5550001")
    call.start(expect=[cmd.Say("5550001 called 100")])


def test_say_renders_clock_variables_from_the_injected_time():
    call = flow('say "{{ weekday }} {{ date }} {{ hour }}:{{ minute }}"')
    call.start(expect=[cmd.Say("mon 2026-11-23 12:0")])


def test_say_with_a_variable_undefined_at_run_time_logs_a_warning_and_still_speaks():
    call = Call.of("""
        route 100 -> main
        flow main {
          start: say "Your PIN is {{ pin }}."
          other: set pin = "1234"
        }
    """)
    commands = call.start()
    assert len(commands) == 2
    log, say = commands
    assert isinstance(log, cmd.Log) and log.level == "warning"
    assert "say template" in log.message and "pin" in log.message
    assert say == cmd.Say("Your PIN is .")


def test_caller_supplied_text_is_spoken_as_data_not_run_as_a_template():
    call = Call.of('route 100 -> main  flow main { start: say "From {{ caller }}" }',
                   caller="{{ 7 * 7 }}")
    call.start(expect=[cmd.Say("From {{ 7 * 7 }}")])
