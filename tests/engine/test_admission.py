"""Resource limits and the churn guard, without SIP."""

from __future__ import annotations

import asyncio

import pytest

from engine import HARD_CAP, DecisionKind, Priority, ResourceLimits


def test_capacity_never_exceeds_the_wheels_hard_cap():
    assert ResourceLimits(max_sessions=100).capacity == HARD_CAP == 4
    assert ResourceLimits(max_sessions=2).capacity == 2

def test_over_capacity_is_rejected_with_the_configured_status():
    limits = ResourceLimits(max_sessions=2, reject_status=503)
    assert limits.admit(1) is None
    rejection = limits.admit(2)
    assert rejection is not None
    assert (rejection.kind, rejection.status) == (DecisionKind.REJECT, 503)

def test_reserved_slots_are_kept_for_priority_calls():
    limits = ResourceLimits(max_sessions=4, reserved_for_priority=1)
    assert limits.admit(3, Priority.NORMAL) is not None
    assert limits.admit(3, Priority.EMERGENCY) is None
    assert limits.admit(4, Priority.EMERGENCY) is not None

@pytest.mark.parametrize(
    "kwargs",
    [{"max_sessions": 0}, {"reject_status": 200}, {"max_sessions": 2, "reserved_for_priority": 2}],
)
def test_nonsense_limits_are_refused(kwargs):
    with pytest.raises(ValueError):
        ResourceLimits(**kwargs)

def test_churn_guard_holds_setup_until_old_endings_age_out():
    from engine import ChurnGuard

    guard = ChurnGuard(max_recent=3, window=0.5)
    for t in (10.0, 10.1, 10.2):
        guard.note_end(now=t)
    assert guard.delay(now=10.3) == pytest.approx(0.201, abs=1e-3)
    assert guard.delay(now=10.6) == 0.0  # the first ending aged out
    assert guard.recent(now=10.8) == 0

def test_churn_guard_wait_returns_at_once_when_there_is_room():
    from engine import ChurnGuard

    guard = ChurnGuard(max_recent=1, window=0.05)
    asyncio.run(guard.wait_for_room())
    guard.note_end()
    asyncio.run(guard.wait_for_room())  # waits ~50 ms, then there is room
    assert guard.waits >= 1

def test_churn_limit_respects_small_media_ranges_and_the_socket_table():
    from engine.admission import churn_limit

    assert churn_limit(media_ports=100, capacity=4) == 24
    assert churn_limit(media_ports=40, capacity=4) == 14
    assert churn_limit(media_ports=4, capacity=4) == 1
