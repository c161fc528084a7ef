"""The simulator's console: setting the clock inside a session, keys the plan ignores
shown as ignored, and a queue's max_wait counting down in the status line."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dialplan.build import build_text
from dialplan.sim import BadInstant, VirtualCall
from dialplan.sim.console import Console, duration, time_in_session
from dialplan.sim.prompts import prompt_timing

PLAN = """\
route 100 -> main
schedule office { mon-fri 09:00-17:00 timezone "Europe/Berlin" }
queue desk { agents "sip:a@127.0.0.1" max_wait 4m }
flow main {
  start:
    answer
    if during office { goto open }
    say "We are closed."
    hangup
  open:
    menu "Press 1 for the desk." barge_in false { 1 -> desk }
  desk:
    queue desk { noanswer -> hangup }
}
"""
MONDAY_NIGHT = dt.datetime(2026, 11, 23, 22, 0, tzinfo=dt.UTC)


def session(lines: list[str], prompts: str = "instant") -> str:
    plan = build_text(PLAN, "office.dialplan").plan
    assert plan is not None

    def place(at: dt.datetime) -> VirtualCall:
        call = VirtualCall(plan, at=at, prompt_time=prompt_timing(prompts))
        call.start()
        return call

    out = io.StringIO()
    Console(place, MONDAY_NIGHT, out).run(lines)
    return out.getvalue()


def test_at_places_the_call_again_at_another_time_of_day() -> None:
    out = session(["at 10:30", "at", "at 2026-11-24 20:00 Europe/Berlin"])
    assert out.count('says "We are closed."') == 2  # first call, then the evening one
    assert "(placing the call again at 2026-11-23 10:30 UTC)" in out
    assert "[main.open | " in out
    assert "  it is 2026-11-23 10:30:00 UTC" in out
    assert "(placing the call again at 2026-11-24 20:00 Europe/Berlin)" in out


def test_an_unreadable_time_is_an_error_and_the_call_goes_on() -> None:
    out = session(["at teatime"])
    assert "! cannot read 'teatime'" in out
    assert out.count('says "We are closed."') == 1


def test_a_key_during_a_prompt_that_cannot_be_interrupted_is_shown_as_ignored() -> None:
    out = session(["at 10:00", "1", "wait 5s", "1"], prompts="3s")
    assert "(info: key 1 ignored: the prompt playing cannot be interrupted " \
           "(barge_in false))" in out
    assert out.count("key 1 ignored") == 1  # after the prompt ended, 1 is taken
    assert "[main.desk | " in out


def test_a_key_nothing_waits_for_is_shown_as_ignored() -> None:
    out = session(["at 10:00", "1", "5"])  # queued: nothing reads keys
    assert "(info: key 5 ignored: nothing is waiting for keys)" in out


def test_while_queued_the_status_counts_down_the_max_wait() -> None:
    out = session(["at 10:00", "1", "wait 48s"])
    statuses = [line for line in out.splitlines() if "[main.desk" in line]
    assert "max_wait ends in 4m |" in statuses[0]
    assert "max_wait ends in 3m12s |" in statuses[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("18:30", dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.UTC)),
    ("2026-12-24 09:30", dt.datetime(2026, 12, 24, 9, 30, tzinfo=dt.UTC)),
])
def test_a_time_in_session_keeps_the_day_and_zone_it_does_not_name(
        text: str, expected: dt.datetime) -> None:
    assert time_in_session(text, MONDAY_NIGHT) == expected


def test_an_impossible_time_of_day_is_refused() -> None:
    with pytest.raises(BadInstant):
        time_in_session("25:00", MONDAY_NIGHT)


def test_countdowns_read_in_minutes_and_seconds() -> None:
    assert [duration(s) for s in (240, 192, 45, 0.4)] == ["4m", "3m12s", "45s", "0s"]


def test_the_simulate_help_names_the_at_command() -> None:
    assert "at <time>" in session(["help"])


def test_webhooks_shows_what_the_call_posted_in_order() -> None:
    out = session(["at 2026-11-24 10:00", "1", "webhooks"])
    shown = out.split("> ")[-2].splitlines()
    assert shown[:3] == ["  1 started", "  2 answered", '  3 queued queue="desk"']
