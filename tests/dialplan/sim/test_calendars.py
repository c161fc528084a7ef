"""The simulator's clock and `during` honour a schedule's holiday calendar."""

from __future__ import annotations

from dialplan.sim import VirtualCall, parse_instant
from tests.dialplan.transcript import compile_ok

PLAN = """
route 100 -> main
schedule office {
  timezone "Europe/Berlin"
  mon-fri 08:00-18:00
  holiday 12-24..12-26
  holidays "DE-BY"
}
flow main {
  start:
    answer
    if during office { goto open }
    say "We are closed today."
    hangup
  open:
    say "Welcome."
    hangup
}
"""


def call_at(instant: str) -> VirtualCall:
    call = VirtualCall(compile_ok(PLAN), at=parse_instant(instant))
    call.start()
    return call


def test_a_call_on_a_bavarian_holiday_hears_the_office_is_closed() -> None:
    assert "main.open" not in call_at("2026-06-04 10:00 Europe/Berlin").states_reached


def test_the_next_working_day_the_office_is_open() -> None:
    assert "main.open" in call_at("2026-06-05 10:00 Europe/Berlin").states_reached


def test_a_yearly_holiday_closes_the_office_in_a_later_year() -> None:
    assert "main.open" not in call_at("2029-12-24 10:00 Europe/Berlin").states_reached
    assert "main.open" in call_at("2029-12-27 10:00 Europe/Berlin").states_reached
