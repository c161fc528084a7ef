"""The machine's part of `dial trunk`: the rendered number goes to the runtime with the
trunk's name; caller input that renders to anything but a number takes `failed` here."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from tests.dialplan.transcript import Call


def trunk_call(number: str, caller: str = "5551234") -> Call:
    return Call.of('route 100 -> main\nflow main { start: '
                   f'dial trunk carrier "{number}" {{ failed -> say "failed" }} '
                   'say "after" }', caller=caller)


def test_dial_trunk_asks_for_the_rendered_number_through_the_named_trunk() -> None:
    call = trunk_call("0{{ caller }}")
    call.start(expect=[cmd.Dial(("05551234",), 30.0, None, False, "carrier")])


def test_caller_input_that_is_no_number_never_reaches_the_runtime() -> None:
    call = trunk_call("{{ caller }}", caller="030@evil.example")
    call.start(expect=[cmd.Log("warning", "refused target '030@evil.example': not an "
                                          "extension number"), cmd.Say("failed")])


def test_a_refused_trunk_call_takes_the_failed_branch() -> None:
    call = trunk_call("030123456")
    call.start()
    call.send(ev.DialResult("failed"), expect=[cmd.Say("failed")])
