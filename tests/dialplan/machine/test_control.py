"""Control flow: set, if/elif/else, goto, run/return, schedules, routes, globals, guards."""

from __future__ import annotations

import datetime as dt

from dialplan.machine import commands as cmd
from tests.dialplan.transcript import Call

UTC = dt.UTC


def flow(body: str, extra: str = "", **kwargs: object) -> Call:
    return Call.of(f"route 100 -> main\n{extra}\nflow main {{ {body} }}", **kwargs)


# -- set ------------------------------------------------------------------------------
def test_set_stores_a_value_for_later_statements():
    call = flow('start: set n = 3; set who = "Ann"; say "{{ who }} {{ n }}"')
    call.start(expect=[cmd.Say("Ann 3")])
    assert call.var("n") == 3


def test_set_can_copy_another_variable():
    call = flow('start: set a = caller; set b = a; say "{{ b }}"', caller="777")
    call.start(expect=[cmd.Say("777")])


def test_set_from_a_variable_without_a_value_logs_and_stores_empty():
    call = flow('start: set copy = later; say "[{{ copy }}]"  other: set later = 1')
    log, say = call.start()
    assert isinstance(log, cmd.Log) and log.level == "warning"
    assert log.message.startswith("`copy` set to empty") and "later" in log.message
    assert say == cmd.Say("[]")
    assert call.var("copy") == ""


def test_set_of_a_comparison_stores_a_boolean():
    call = flow('start: set vip = caller in ["5551234"]; if vip { say "VIP" }')
    call.start(expect=[cmd.Say("VIP")])
    assert call.var("vip") is True


# -- if ---------------------------------------------------------------------------
def choose(value: str) -> Call:
    return flow(f"""
        start:
          set x = {value}
          if x == 1 {{ say "one" }} elif x == 2 {{ say "two" }} else {{ say "other" }}
          say "done"
    """)


def test_if_takes_the_first_true_arm():
    choose("1").start(expect=[cmd.Say("one")])


def test_elif_is_tried_when_if_is_false():
    choose("2").start(expect=[cmd.Say("two")])


def test_else_runs_when_no_arm_is_true():
    choose("3").start(expect=[cmd.Say("other")])


def test_an_arm_without_a_jump_continues_after_the_if():
    call = choose("1")
    call.start(expect=[cmd.Say("one")])
    call.prompt_done(expect=[cmd.Say("done")])


def test_if_without_else_falls_through_when_false():
    flow('start: if caller == "x" { say "x" } say "after"').start(expect=[cmd.Say("after")])


def test_and_or_not_combine_conditions():
    call = flow("""
        start:
          if not (caller == "1" or called == "2") and called == "100" { say "yes" }
          else { say "no" }
    """)
    call.start(expect=[cmd.Say("yes")])


def test_in_a_list_and_in_a_string():
    call = flow("""
        start:
          if called in ["100", "200"] and "55" in caller { say "both" } else { say "no" }
    """)
    call.start(expect=[cmd.Say("both")])


def test_not_in():
    flow('start: if caller not in ["1"] { say "out" }').start(expect=[cmd.Say("out")])


def test_matches_uses_number_patterns():
    call = flow('start: if caller matches "_555XXXX" { say "local" } else { say "far" }',
                caller="5559876")
    call.start(expect=[cmd.Say("local")])
    call = flow('start: if caller matches "_555XXXX" { say "local" } else { say "far" }',
                caller="4951234")
    call.start(expect=[cmd.Say("far")])


def test_a_condition_that_cannot_be_evaluated_logs_and_counts_as_false():
    call = flow('start: if name > 5 { say "big" } else { say "small" }',
                extra='set name = "abc"')
    log, say = call.start()
    assert isinstance(log, cmd.Log) and log.level == "warning"
    assert log.message.startswith("condition taken as false")
    assert say == cmd.Say("small")


def test_clock_variables_come_from_the_injected_time():
    saturday_evening = dt.datetime(2026, 11, 28, 19, 5, tzinfo=UTC)
    call = flow('start: if weekday == "sat" and hour >= 19 { say "weekend" } else { say "no" }',
                now=saturday_evening)
    call.start(expect=[cmd.Say("weekend")])


# -- goto, run, return ------------------------------------------------------------------
def test_goto_jumps_to_a_state_and_the_location_follows():
    call = flow('start: goto b  a: say "A"  b: say "B"')
    call.start(expect=[cmd.Say("B")])
    assert call.where == "main.b"


def test_a_state_falls_through_to_nothing_and_hangs_up():
    call = flow('start: say "A"  next: say "never"')
    call.start(expect=[cmd.Say("A")])
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])


def test_goto_a_flow_enters_its_first_state():
    call = Call.of("""
        route 100 -> main
        flow main { start: goto other }
        flow other { first: say "Other first"  second: say "no" }
    """)
    call.start(expect=[cmd.Say("Other first")])
    assert call.where == "other.first"


def test_goto_flow_dot_state_enters_that_state():
    call = Call.of("""
        route 100 -> main
        flow main { start: goto other.second }
        flow other { first: say "no"  second: say "Second" }
    """)
    call.start(expect=[cmd.Say("Second")])
    assert call.where == "other.second"


SUB = """
    route 100 -> main
    flow main { start: say "before"; run sub; say "back in {{ where_from }}" }
    flow sub { s1: set where_from = "main"; say "in sub"; {end} }
"""


def test_run_enters_a_sub_flow_and_return_continues_after_it():
    call = Call.of(SUB.replace("{end}", 'return; say "never"'))
    call.start(expect=[cmd.Say("before")])
    call.prompt_done(expect=[cmd.Say("in sub")])
    assert call.where == "sub.s1"
    call.prompt_done(expect=[cmd.Say("back in main")])
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])


def test_a_sub_flow_state_ending_without_a_jump_returns():
    call = Call.of(SUB.replace("{end}", ""))
    call.start()
    call.prompt_done(expect=[cmd.Say("in sub")])
    call.prompt_done(expect=[cmd.Say("back in main")])


def test_a_sub_flow_may_goto_its_own_states_before_returning():
    call = Call.of("""
        route 100 -> main
        flow main { start: run sub; say "back" }
        flow sub { a: goto b  b: say "in b"; return }
    """)
    call.start(expect=[cmd.Say("in b")])
    call.prompt_done(expect=[cmd.Say("back")])


def test_nested_runs_return_in_order():
    call = Call.of("""
        route 100 -> main
        flow main { start: run one; say "main" }
        flow one { a: run two; say "one" }
        flow two { b: say "two" }
    """)
    call.start(expect=[cmd.Say("two")])
    assert call.state is not None and len(call.state.stack) == 2
    call.prompt_done(expect=[cmd.Say("one")])
    call.prompt_done(expect=[cmd.Say("main")])
    call.prompt_done(expect=[cmd.Hangup("normal", 480)])


def test_return_outside_a_sub_flow_logs_and_hangs_up():
    call = flow('start: return')
    call.start(expect=[cmd.Log("info", "`return` outside a sub-flow ends the call"),
                       cmd.Hangup("normal", 480)])
    assert call.ended


def test_a_loop_without_waiting_is_stopped_by_the_step_guard():
    call = flow("a: goto b  b: goto a")
    call.start(expect=[cmd.Log("error", "more than 10000 steps without waiting: "
                                        "a loop in flow `main`"),
                       cmd.Hangup("failure", 500)])
    assert call.ended


def test_a_loop_through_set_and_if_is_stopped_too():
    call = flow('a: set n = 1; if n == 1 { goto a }')
    commands = call.start()
    assert commands[-1] == cmd.Hangup("failure", 500)
    assert isinstance(commands[-2], cmd.Log) and commands[-2].level == "error"


# -- schedules ------------------------------------------------------------------------
OFFICE = """schedule office {
    timezone "Europe/Berlin"
    mon-fri 09:00-12:00, 13:00-17:00
    holiday 2026-12-24..2026-12-26, 2026-12-31
}"""


def at(when: dt.datetime, schedule: str = OFFICE) -> Call:
    return flow('start: if during office { say "open" } else { say "closed" }',
                extra=schedule, now=when)


def is_open(when: dt.datetime, schedule: str = OFFICE) -> bool:
    return at(when, schedule).start() == [cmd.Say("open")]


def test_schedule_is_open_inside_its_hours_in_its_own_time_zone():
    # 08:30 UTC on a Monday in November is 09:30 in Berlin (UTC+1)
    assert is_open(dt.datetime(2026, 11, 23, 8, 30, tzinfo=UTC))


def test_schedule_is_closed_before_opening_local_time():
    # 07:30 UTC is 08:30 in Berlin (UTC+1 in November): not open yet
    assert not is_open(dt.datetime(2026, 11, 23, 7, 30, tzinfo=UTC))


def test_schedule_follows_daylight_saving_time():
    # In July Berlin is UTC+2: 07:30 UTC is 09:30 local, open
    assert is_open(dt.datetime(2026, 7, 6, 7, 30, tzinfo=UTC))


def test_schedule_is_closed_in_the_gap_between_two_ranges():
    assert not is_open(dt.datetime(2026, 11, 23, 11, 30, tzinfo=UTC))  # 12:30 Berlin
    assert is_open(dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # 13:00 Berlin


def test_the_end_of_a_range_is_exclusive():
    assert is_open(dt.datetime(2026, 11, 23, 15, 59, tzinfo=UTC))  # 16:59 Berlin
    assert not is_open(dt.datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 17:00 Berlin


def test_schedule_is_closed_on_days_it_does_not_list():
    assert not is_open(dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC))  # Saturday


def test_schedule_is_closed_on_a_holiday_in_its_hours():
    assert not is_open(dt.datetime(2026, 12, 31, 10, 0, tzinfo=UTC))  # Thursday


def test_holiday_ranges_include_both_ends():
    assert not is_open(dt.datetime(2026, 12, 24, 10, 0, tzinfo=UTC))
    assert not is_open(dt.datetime(2026, 12, 25, 10, 0, tzinfo=UTC))
    assert not is_open(dt.datetime(2026, 12, 26, 10, 0, tzinfo=UTC))  # a Saturday anyway
    assert is_open(dt.datetime(2026, 12, 23, 10, 0, tzinfo=UTC))
    assert is_open(dt.datetime(2026, 12, 28, 10, 0, tzinfo=UTC))


def test_holidays_use_the_schedules_local_date():
    tokyo = 'schedule office { timezone "Asia/Tokyo"  mon-sun 00:00-24:00  holiday 2026-12-25 }'
    # 16:00 UTC on the 24th is already 01:00 on the 25th in Tokyo
    assert not is_open(dt.datetime(2026, 12, 24, 16, 0, tzinfo=UTC), tokyo)
    assert is_open(dt.datetime(2026, 12, 24, 14, 0, tzinfo=UTC), tokyo)


def test_weekdays_use_the_schedules_local_date():
    tokyo = 'schedule office { timezone "Asia/Tokyo"  sat 00:00-24:00 }'
    # Friday 20:00 UTC is Saturday 05:00 in Tokyo
    assert is_open(dt.datetime(2026, 11, 27, 20, 0, tzinfo=UTC), tokyo)


def test_a_day_range_may_wrap_around_the_week():
    weekend = 'schedule office { fri-mon 10:00-11:00 }'
    assert is_open(dt.datetime(2026, 11, 29, 10, 30, tzinfo=UTC), weekend)  # Sunday
    assert is_open(dt.datetime(2026, 11, 23, 10, 30, tzinfo=UTC), weekend)  # Monday
    assert not is_open(dt.datetime(2026, 11, 24, 10, 30, tzinfo=UTC), weekend)  # Tuesday


def test_a_schedule_without_time_zone_uses_utc():
    plain = "schedule office { mon 12:00-13:00 }"
    assert is_open(dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC), plain)
    assert not is_open(dt.datetime(2026, 11, 23, 13, 0, tzinfo=UTC), plain)


def test_a_time_with_another_offset_is_converted():
    berlin_10 = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert is_open(berlin_10)  # 04:00 at UTC-5 is 09:00 UTC is 10:00 Berlin


# -- routes ---------------------------------------------------------------------------
ROUTES = """
    route 100 -> exact
    route _1XX -> pattern
    route _10X -> narrower
    route default -> fallback
    route 200 from _555XXXX -> local
    route 200 -> everyone
    route 300 -> target.second
    flow exact { s: say "exact" }
    flow pattern { s: say "pattern" }
    flow narrower { s: say "narrower" }
    flow fallback { s: say "fallback" }
    flow local { s: say "local" }
    flow everyone { s: say "everyone" }
    flow target { first: say "first"  second: say "second" }
"""


def route(called: str, caller: str = "5551234") -> list[cmd.Command]:
    return Call.of(ROUTES, called=called, caller=caller).start()


def test_an_exact_number_beats_patterns():
    assert route("100") == [cmd.Say("exact")]


def test_the_more_specific_pattern_wins():
    assert route("105") == [cmd.Say("narrower")]
    assert route("150") == [cmd.Say("pattern")]


def test_the_default_route_takes_unmatched_numbers():
    assert route("999") == [cmd.Say("fallback")]


def test_a_caller_filter_that_matches_beats_a_route_without_one():
    assert route("200", caller="5550000") == [cmd.Say("local")]


def test_a_caller_filter_that_does_not_match_is_skipped():
    assert route("200", caller="0301234567") == [cmd.Say("everyone")]


def test_a_route_may_target_a_state_of_a_flow():
    assert route("300") == [cmd.Say("second")]


def test_no_route_logs_and_rejects_with_404():
    call = Call.of('route 100 -> main  flow main { s: say "hi" }', called="555",
                   caller="777")
    call.start(expect=[cmd.Log("warning", "no route for 555 from 777"),
                       cmd.Hangup("notfound", 404)])
    assert call.ended


def test_call_facts_are_variables():
    call = Call.of('route 100 -> main  flow main { s: say "{{ caller }}>{{ called }}" }',
                   caller="42")
    call.start(expect=[cmd.Say("42>100")])
    assert call.var("caller_name") == ""


# -- globals --------------------------------------------------------------------------
def test_globals_are_set_before_the_flow_starts():
    call = flow('start: say "{{ company }} {{ greeting }}"',
                extra='set company = "Acme"  set greeting = "Hi " ')
    call.start(expect=[cmd.Say("Acme Hi ")])


def test_a_global_may_use_the_call_facts():
    call = flow('start: if vip { say "VIP" } else { say "hello" }',
                extra='set vip = caller in ["5551234"]')
    call.start(expect=[cmd.Say("VIP")])


def test_globals_are_visible_in_sub_flows_and_may_be_changed():
    call = Call.of("""
        route 100 -> main
        set count = 1
        flow main { start: run sub; say "{{ count }}" }
        flow sub { s: set count = 2 }
    """)
    call.start(expect=[cmd.Say("2")])


def test_a_global_may_use_an_earlier_global():
    call = flow('start: say "{{ b }}"', extra="set a = 2  set b = a")
    call.start(expect=[cmd.Say("2")])


def test_a_global_that_cannot_be_evaluated_logs_and_is_empty():
    call = flow('start: say "[{{ g }}]"  other: set later = 1', extra="set g = later")
    log, say = call.start()
    assert isinstance(log, cmd.Log) and log.message.startswith("`g` set to empty")
    assert say == cmd.Say("[]")


def test_runaway_sub_flow_recursion_ends_the_call():
    call = Call.of("route 100 -> main\nflow main { s: run main }")
    commands = call.start()
    assert commands[-1] == cmd.Hangup("failure", 500)
    assert any(isinstance(c, cmd.Log) and "nested" in c.message for c in commands)
