"""The event bus, without SIP."""

from __future__ import annotations

import asyncio

import pytest

from engine import CallEnded, DtmfReceived, EventBus


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
