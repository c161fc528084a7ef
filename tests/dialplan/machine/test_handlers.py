"""Shared handlers at run time: a menu inherits its flow's nomatch, the plan's exhausted,
and its own branches still win; the attempt count runs on through inherited retries."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from tests.dialplan.transcript import Call, without_timers

PROMPT = cmd.Say("Press 1", barge_in=True)
PLAN = """
route 100 -> main
handlers {
  nomatch -> say "Plan: not an option."; retry
  exhausted -> goto operator
}
flow main {
  handlers {
    nomatch -> say "Flow: not an option."; retry
  }
  start:
    menu "Press 1" attempts 2 { 1 -> done }
  done:
    say "Done"
    hangup
  operator:
    say "Operator"
    hangup
}
"""


def started(text: str = PLAN) -> Call:
    call = Call.of(text)
    call.start(expect=[PROMPT])
    call.prompt_done(expect=[cmd.StartTimer(1, 5.0)])
    return call


def test_a_menu_inherits_its_flows_nomatch_and_retries_itself() -> None:
    call = started()
    call.press("9", expect=[cmd.CancelTimer(1), cmd.Say("Flow: not an option.")])
    assert call.prompt_done() == [PROMPT]
    assert call.where == "main.start"


def test_the_last_failed_attempt_takes_the_plans_exhausted() -> None:
    call = started()
    call.press("9")
    call.prompt_done(expect=[PROMPT])
    call.prompt_done()
    assert without_timers(call.press("8")) == [cmd.Say("Operator")]
    assert call.where == "main.operator"


def test_without_an_inherited_noinput_the_prompt_simply_plays_again() -> None:
    call = started()
    assert call.timeout() == [PROMPT]


def test_a_local_nomatch_wins_over_the_inherited_ones() -> None:
    call = started(PLAN.replace("{ 1 -> done }", '{ 1 -> done  nomatch -> say "Mine."; retry }'))
    call.press("9", expect=[cmd.CancelTimer(1), cmd.Say("Mine.")])
