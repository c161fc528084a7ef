"""The scenario parser: files to model records, and positioned errors for bad ones."""

from __future__ import annotations

import datetime as dt

import pytest

from dialplan.lookups.mocks import HttpMock
from dialplan.scenarios import ScenarioError, parse_scenarios
from dialplan.scenarios import model as m

FULL = '''// every step
plan "plans/demo.dialplan"
scenario "all steps" {
  call 100 from "+4930123" at "2026-12-24 09:30 Europe/Berlin"
  press 12#
  press "*9"
  say "sales" confidence 0.4
  wait 1.5s wait 200ms wait 2m
  outcome noanswer
  hang up
  expect hear "Hi."
  expect hear containing "Hi"
  expect hear matching "^H.$"
  expect play "welcome"
  expect state demo.menu
  expect transfer "sip:1@h"
  expect dial "sip:1@h", "sip:2@h"
  expect queue support
  expect var pin = "1234"
  expect var n = 3
  expect var ok = false
  expect hangup
  expect hangup busy
  expect hangup 486
  expect answered
  expect silence
}
'''


def steps_of(text: str) -> tuple[m.Step, ...]:
    return parse_scenarios(text, "t.test").scenarios[0].steps


def test_a_file_with_every_step_parses_into_records_with_positions():
    parsed = parse_scenarios(FULL, "dir/x.test")
    assert parsed.plan_path == "dir/plans/demo.dialplan"
    scenario = parsed.scenarios[0]
    assert scenario.name == "all steps" and scenario.pos == m.Pos("dir/x.test", 3, 1)
    assert scenario.call.number == "100" and scenario.call.caller == "+4930123"
    assert scenario.call.at == dt.datetime(2026, 12, 24, 8, 30, tzinfo=dt.UTC)
    steps = scenario.steps
    assert steps[0] == m.Press(m.Pos("dir/x.test", 5, 3), "press 12#", "12#")
    assert steps[1].keys == "*9"  # type: ignore[attr-defined]
    assert steps[2] == m.Say(m.Pos("dir/x.test", 7, 3), 'say "sales" confidence 0.4',
                             "sales", 0.4)
    assert [s.seconds for s in steps[3:6]] == [1.5, 0.2, 120.0]  # type: ignore[attr-defined]
    assert steps[6].name == "noanswer"  # type: ignore[attr-defined]
    assert isinstance(steps[7], m.HangUp)
    assert [type(s).__name__ for s in steps[8:]] == [
        "ExpectHear", "ExpectHear", "ExpectHear", "ExpectPlay", "ExpectState", "ExpectRequest",
        "ExpectRequest", "ExpectRequest", "ExpectVar", "ExpectVar", "ExpectVar",
        "ExpectHangup", "ExpectHangup", "ExpectHangup", "ExpectAnswered", "ExpectSilence"]
    assert steps[14].targets == ("sip:1@h", "sip:2@h")  # type: ignore[attr-defined]
    assert [s.value for s in steps[16:19]] == ["1234", 3, False]  # type: ignore[attr-defined]
    assert steps[20].cause == "busy" and steps[21].cause == "486"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("written", "timing"), [("", "instant"), ("prompts spoken", "spoken"),
                                                 ("prompts 1500ms", "1.5s")])
def test_the_call_line_may_say_how_long_prompts_play(written, timing):
    parsed = parse_scenarios(f'scenario "s" {{ call 1 {written} }}', "t.test")
    assert parsed.scenarios[0].call.prompts == timing


def test_the_plan_defaults_to_the_file_of_the_same_name_beside_it():
    parsed = parse_scenarios('scenario "s" { call 100 }', "examples/demo.test")
    assert parsed.plan_path == "examples/demo.dialplan"
    assert parsed.scenarios[0].call.caller == "5551234"
    assert parsed.scenarios[0].call.at is None


def test_an_expectation_keeps_its_source_text_and_position():
    step = steps_of('scenario "s" {\n call 1\n   expect   hear\n "x" }')[0]
    assert step.source == 'expect hear "x"' and step.pos == m.Pos("t.test", 3, 4)


@pytest.mark.parametrize(("text", "where", "message"), [
    ('scenario "s" { call 1 presss 1 }', (1, 23), "found `presss`"),
    ('scenario "s" { press 1 }', (1, 16), "expected `call`"),
    ('scenario "s" { call 1 outcome maybe }', (1, 31),
     "answer, busy, noanswer, unavailable, fail or end"),
    ('scenario "s" { call 1 wait 5 }', (1, 28), "a duration"),
    ('scenario "s" { call 1', (1, 22), "the end of the file"),
    ('scenario "s" {\n call 1\n', (3, 1), "the end of the file"),
    ('scenario "s" { call 1 press "12a" }', (1, 23), "not DTMF keys"),
    ('scenario "s" { call 1 at "yesterday" }', (1, 26), "cannot read"),
    ('scenario "s" { call 1 expect hear matching "(" }', (1, 30), "not a regular expression"),
    ('plan "a.dialplan"\nplan "b.dialplan"', (2, 1), "one plan per file"),
    ('scenario "s" { call 1 $ }', (1, 23), "unexpected character `$`"),
])
def test_mistakes_are_reported_at_their_line_and_column(text, where, message):
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(text, "t.test")
    assert (caught.value.pos.line, caught.value.pos.column) == where
    assert message in caught.value.message
    assert str(caught.value).startswith(f"t.test:{where[0]}:{where[1]}: ")


def test_http_mocks_and_fetch_expectations_are_read() -> None:
    text = ('scenario "s" {\n'
            '  http "https://api.example/v1/" status 201 json "{\\"a\\": 1}" delay 2s\n'
            '  http "https://api.example/down" down\n'
            '  call 100\n'
            '  expect fetch "https://api.example/v1/x"\n'
            '  expect var r.items.0.name = "tea"\n'
            '}\n')
    scenario = parse_scenarios(text, "t.test").scenarios[0]
    assert scenario.http == (
        HttpMock("https://api.example/v1/", status=201, body='{"a": 1}', delay=2.0),
        HttpMock("https://api.example/down", down=True))
    fetch, var = scenario.steps
    assert isinstance(fetch, m.ExpectFetch) and fetch.url == "https://api.example/v1/x"
    assert isinstance(var, m.ExpectVar) and (var.name, var.value) == ("r.items.0.name", "tea")
