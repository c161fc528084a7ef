"""Resource limits, groups, bridges registry and the event bus, without SIP."""

from __future__ import annotations

import asyncio

import pytest

from engine import (
    HARD_CAP,
    CallEnded,
    DecisionKind,
    DtmfReceived,
    EventBus,
    Priority,
    ResourceLimits,
    SessionGroups,
)
from engine.errors import CallBusy, CallFailed, CallTimeout, call_failed
from engine.manager.groups import BridgeRegistry


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


def test_call_failed_picks_the_typed_error_and_keeps_the_status():
    busy = call_failed(486, "Busy Here")
    assert isinstance(busy, CallBusy) and busy.status == 486
    assert isinstance(call_failed(408, "Request Timeout"), CallTimeout)
    odd = call_failed(488, "Not Acceptable Here")
    assert type(odd) is CallFailed and odd.status == 488


def test_groups_track_members_and_forget_ended_sessions():
    groups = SessionGroups()
    groups.add("sales", "s1")
    groups.add("sales", "s2")
    groups.add("vip", "s1")
    assert groups.members("sales") == {"s1", "s2"}
    assert groups.groups_of("s1") == ["sales", "vip"]
    groups.forget("s1")
    assert groups.members("sales") == {"s2"}
    assert groups.names() == ["sales"]


def test_bridges_end_with_either_leg():
    bridges = BridgeRegistry()
    info = bridges.add("a", "b")
    bridges.add("c", "d")
    with pytest.raises(ValueError):
        bridges.add("a", "a")
    assert bridges.forget_session("b") == [info]
    assert len(bridges) == 1


def test_bus_delivers_to_all_and_per_session_subscribers():
    async def scenario() -> None:
        bus = EventBus()
        everything = bus.subscribe()
        only_s2 = bus.subscribe("s2")
        bus.publish(DtmfReceived("s1", "5", "rfc2833"))
        bus.publish(CallEnded("s2", 200, "Normal"))
        assert [type(e) for e in everything.pending()] == [DtmfReceived, CallEnded]
        assert await only_s2.next(timeout=1) == CallEnded("s2", 200, "Normal")
        bus.publish(DtmfReceived("s2", "1", "sip_info"))
        bus.publish(DtmfReceived("s2", "2", "sip_info"))
        got = await only_s2.wait_for(DtmfReceived, lambda e: e.digit == "2", timeout=1)
        assert got.digit == "2"
        with only_s2:
            pass
        assert bus.subscriber_count == 1
        with pytest.raises(TimeoutError):
            await everything.wait_for(CallEnded, timeout=0.05)

    asyncio.run(scenario())


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
