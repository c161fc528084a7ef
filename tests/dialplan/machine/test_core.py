"""The machine as a pure function: old states stay valid, results are deterministic."""

from __future__ import annotations

import datetime as dt

from dialplan.machine import CallInfo, Machine
from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from tests.dialplan.transcript import MONDAY_NOON, Call, compile_ok

SOURCE = """
    route 100 -> main
    flow main {
      start: collect pin "PIN" digits 4
             say "{{ pin }}"
    }
"""


def test_a_call_is_pinned_to_the_plan_version():
    call = Call.of(SOURCE)
    call.start()
    assert call.state is not None and call.state.version == call.machine.plan.version
    assert call.state.version


def test_step_leaves_the_state_it_was_given_unchanged():
    machine = Machine(compile_ok(SOURCE))
    state, _ = machine.start(CallInfo("1", "100"), MONDAY_NOON)
    state, _ = machine.step(state, ev.PromptFinished(), MONDAY_NOON)
    before = state
    snapshot = (dict(state.vars), state.digits, state.timers, state.phase, state.attempts)
    machine.step(state, ev.Digit("1"), MONDAY_NOON)
    assert (dict(state.vars), state.digits, state.timers, state.phase, state.attempts) \
        == snapshot
    assert state == before


def test_the_same_event_on_the_same_state_gives_the_same_result():
    machine = Machine(compile_ok(SOURCE))
    state, _ = machine.start(CallInfo("1", "100"), MONDAY_NOON)
    state, _ = machine.step(state, ev.PromptFinished(), MONDAY_NOON)
    for key in "123":
        state, _ = machine.step(state, ev.Digit(key), MONDAY_NOON)
    first = machine.step(state, ev.Digit("4"), MONDAY_NOON)
    second = machine.step(state, ev.Digit("4"), MONDAY_NOON)
    assert first == second
    assert first[1][-1] == cmd.Say("1234")


def test_one_machine_runs_many_calls_independently():
    machine = Machine(compile_ok(SOURCE))
    a, _ = machine.start(CallInfo("1", "100"), MONDAY_NOON)
    b, _ = machine.start(CallInfo("2", "100"), MONDAY_NOON)
    a, _ = machine.step(a, ev.PromptFinished(), MONDAY_NOON)
    b, _ = machine.step(b, ev.PromptFinished(), MONDAY_NOON)
    for key in "1111":
        a, _ = machine.step(a, ev.Digit(key), MONDAY_NOON)
    for key in "2222":
        b, _ = machine.step(b, ev.Digit(key), MONDAY_NOON)
    assert (a.vars["pin"], b.vars["pin"]) == ("1111", "2222")
    assert (a.vars["caller"], b.vars["caller"]) == ("1", "2")


def test_the_time_is_only_what_the_caller_of_the_machine_passes_in():
    plan = compile_ok('route 100 -> main  flow main { s: say "{{ hour }}" }')
    machine = Machine(plan)
    _, early = machine.start(CallInfo("1", "100"), dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC))
    _, late = machine.start(CallInfo("1", "100"), dt.datetime(2026, 1, 1, 18, tzinfo=dt.UTC))
    assert (early, late) == ([cmd.Say("6")], [cmd.Say("18")])


def test_timer_tokens_are_unique_within_a_call():
    call = Call.of(SOURCE)
    call.start()
    call.prompt_done()
    call.press("12")
    call.timeout()  # too few: the prompt again
    call.prompt_done()
    tokens = [c.token for c in call.log if isinstance(c, cmd.StartTimer)]
    assert tokens == sorted(set(tokens))


def test_a_call_knows_the_callers_extension_and_whether_it_was_authenticated():
    machine = Machine(compile_ok(SOURCE))
    phone, _ = machine.start(CallInfo("201", "100", extension="201"), MONDAY_NOON)
    stranger, _ = machine.start(CallInfo("5551234", "100"), MONDAY_NOON)
    assert phone.vars["caller.extension"] == "201" and phone.vars["caller.authenticated"]
    assert stranger.vars["caller.extension"] == "" and not stranger.vars["caller.authenticated"]
