"""The language and voice of each prompt, chosen while the call runs."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.plan import Say, Voice
from dialplan.wording.said import Said
from tests.dialplan.transcript import Call, compile_ok

BILINGUAL = """defaults voice "en-us" language "en"
route 100 -> main
flow main {
  start:
    answer
    menu "For English press 1. Pour le français, appuyez sur 2." {
      1 -> set language = "en"; goto tell
      2 -> set language = "fr"; goto tell
    }
  tell:
    say "{{ 2 | ordinal }}"
    say "Hallo" language "de"
    play "goodbye"
    hangup
}
"""


def _says(commands: list[cmd.Command]) -> list[cmd.Say | cmd.Play]:
    return [c for c in commands if isinstance(c, cmd.Say | cmd.Play)]


def test_a_digit_chooses_the_language_of_what_follows() -> None:
    call = Call.of(BILINGUAL)
    call.start()
    call.prompt_done()
    said = _says(call.press("2"))
    assert said == [cmd.Say("deuxième", None, None, "fr",
                            parts=(Said("deuxième", ("words/deuxième",)),))]
    assert _says(call.prompt_done()) == [cmd.Say("Hallo", "en-us", None, "de")]
    assert _says(call.prompt_done()) == [cmd.Play(("goodbye",), language="fr")]


def test_without_a_choice_the_plans_language_and_voice_stay() -> None:
    call = Call.of(BILINGUAL)
    call.start()
    call.prompt_done()
    said = _says(call.press("1"))
    assert said[0].voice == "en-us" and said[0].text == "second"


def test_a_language_option_may_name_a_variable() -> None:
    call = Call.of("""set lang = "de"
route 100 -> main
flow main { s: say "{{ 21 | number }}" language lang voice who
  set who = "x" }""")
    commands = call.start()
    assert _says(commands)[0].text == "einundzwanzig" and _says(commands)[0].language == "de"


def test_an_unsupported_language_in_a_variable_is_logged_and_ignored() -> None:
    call = Call.of("""route 100 -> main
flow main { s: collect language "Language?" digits 2
  say "{{ 3 | number }}" }""")
    call.start()
    call.prompt_done()
    commands = call.press("12")
    assert cmd.Log("warning", "`language` = '12' is not a supported language") in commands
    assert _says(commands)[0].text == "three" and _says(commands)[0].language is None


def test_a_plain_say_has_no_pieces() -> None:
    call = Call.of('route 100 -> main\nflow main { s: say "Hello" }')
    assert _says(call.start()) == [cmd.Say("Hello")]


def test_the_compiler_records_where_the_language_comes_from() -> None:
    plan = compile_ok("""defaults language "en"
set lang = "fr"
route 100 -> main
flow main { s: say "a"; say "b" language lang; say "c" language "de" }
flow other language "es" { s: say "d" }""")
    voices = {n.action.text: n.action.voice for n in plan.nodes if isinstance(n.action, Say)}
    assert voices["a"] == Voice(language="en")
    assert voices["b"] == Voice(language="en", language_var="lang")
    assert voices["c"] == Voice(language="de", language_fixed=True)
    assert voices["d"] == Voice(language="es", language_fixed=True)


def test_a_callers_answer_used_as_language_cannot_name_a_folder() -> None:
    call = Call.of("""route 100 -> main
flow main { s: listen language "Which language?" phrases "../../etc", "fr"
  play "welcome" }""")
    call.start()
    call.prompt_done()
    commands = call.say("../../etc")
    assert _says(commands) == [cmd.Play(("welcome",), language=None)]
    assert cmd.Log("warning", "`language` = '../../etc' is not a supported language") in commands
