"""The virtual clock: reading instants, and handing over due items in order."""

from __future__ import annotations

import datetime as dt

import pytest

from dialplan.sim import BadInstant, VirtualClock, parse_instant


def test_an_instant_with_a_zone_is_aware_in_that_zone():
    instant = parse_instant("2026-12-24 09:30 Europe/Berlin")
    assert instant.utcoffset() == dt.timedelta(hours=1)
    assert (instant.hour, instant.minute) == (9, 30)


def test_an_instant_without_a_zone_is_utc():
    assert parse_instant("2026-12-24 9:05").tzinfo == dt.UTC


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01 09:00", "2026-12-24 09:30 Mars/Base"])
def test_unreadable_instants_are_refused_with_a_reason(text):
    with pytest.raises(BadInstant):
        parse_instant(text)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        VirtualClock(dt.datetime(2026, 1, 1))


def test_due_items_come_earliest_first_and_move_the_clock():
    clock = VirtualClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    clock.schedule("late", 5)
    clock.schedule("early", 2)
    assert clock.next_due(10) == "early" and clock.elapsed == 2
    assert clock.next_due(10) == "late" and clock.elapsed == 5
    assert clock.next_due(10) is None
    assert clock.now == dt.datetime(2026, 1, 1, 0, 0, 5, tzinfo=dt.UTC)


def test_nothing_is_due_before_its_time_and_cancelled_items_never_come():
    clock = VirtualClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    clock.schedule("a", 5)
    clock.schedule("b", 1)
    clock.cancel("b")
    assert clock.next_due(4.9) is None
    clock.schedule("a", 1)  # rescheduling replaces the earlier entry
    assert clock.pending() == [("a", 1)]
