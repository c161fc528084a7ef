"""Ready-made handlers and dialled-number routing, without SIP."""

from __future__ import annotations

import asyncio

import pytest

from engine import (
    AutoAnswerHandler,
    CallDecision,
    CallHandler,
    CompositeHandler,
    DecisionKind,
    IncomingCall,
    QueueHandler,
    RoutingHandler,
)
from engine.handlers.routing import compile_pattern, matches
from engine.types import user_part


def incoming(number: str, sid: str = "in-1") -> IncomingCall:
    return IncomingCall(
        sid, "sip:caller@127.0.0.1", f"sip:{number}@127.0.0.1", f"sip:{number}@127.0.0.1:5060"
    )


def decide(handler: CallHandler, call: IncomingCall) -> CallDecision:
    return asyncio.run(handler.on_incoming_call(call))


class Ended:
    """Minimal stand-in for a CallSession in on_call_ended (only .id is read)."""

    def __init__(self, sid: str) -> None:
        self.id = sid


@pytest.mark.parametrize(
    ("pattern", "number", "expected"),
    [
        ("100", "100", True),
        ("100", "1000", False),
        ("_1XX", "123", True),
        ("_1XX", "12", False),
        ("_NXXNXXXXXX", "2125551234", True),
        ("_NXXNXXXXXX", "1125551234", False),
        ("_Z!", "7", True),
        ("_9.", "9", False),
        ("_9.", "9555", True),
        ("_[13-5]0", "40", True),
        ("_[13-5]0", "20", False),
        ("_*X#", "*5#", True),
    ],
)
def test_dialled_number_patterns(pattern, number, expected):
    assert matches(pattern, number) is expected


def test_unclosed_bracket_is_an_error_at_construction():
    with pytest.raises(ValueError, match="unclosed"):
        compile_pattern("_[12")
    with pytest.raises(ValueError):
        RoutingHandler({"_[12": AutoAnswerHandler()})


def test_user_part_reads_request_uris_and_name_addrs():
    assert user_part("sip:100@example.com:5060;transport=udp") == "100"
    assert user_part('"Bob" <sip:bob@host>') == "bob"
    assert user_part("sip:host") == ""
    assert incoming("42").dialled == "42"


def test_routing_picks_first_matching_route_in_order():
    handler = RoutingHandler(
        [
            ("_1XX", AutoAnswerHandler()),
            ("_1.", CallDecision.reject(403, "Forbidden")),
            ("_9.", "sip:gateway@127.0.0.1"),
        ]
    )
    assert decide(handler, incoming("123")).kind == DecisionKind.ACCEPT
    assert decide(handler, incoming("1234")).status == 403
    forwarded = decide(handler, incoming("9555"))
    assert (forwarded.kind, forwarded.target) == (DecisionKind.FORWARD, "sip:gateway@127.0.0.1")
    assert decide(handler, incoming("555")).status == 404


def test_decisions_validate_their_status():
    with pytest.raises(ValueError):
        CallDecision.reject(200)
    assert CallDecision.forward("sip:x@y").status == 302


def test_queue_defers_until_full_then_rejects_busy_and_dequeues_fifo():
    async def scenario() -> None:
        queue = QueueHandler(max_queue_size=2)
        first = await queue.on_incoming_call(incoming("1", "in-1"))
        await queue.on_incoming_call(incoming("1", "in-2"))
        third = await queue.on_incoming_call(incoming("1", "in-3"))
        assert first.kind == DecisionKind.DEFER
        assert (third.kind, third.status) == (DecisionKind.REJECT, 486)
        assert len(queue) == 2
        await queue.on_call_ended(Ended("in-1"), "caller hung up")  # type: ignore[arg-type]
        assert (await queue.dequeue(timeout=1)).session_id == "in-2"
        with pytest.raises(TimeoutError):
            await queue.dequeue(timeout=0.05)

    asyncio.run(scenario())


def test_dequeue_waits_for_a_caller():
    async def scenario() -> str:
        queue = QueueHandler(max_queue_size=1)
        waiter = asyncio.create_task(queue.dequeue(timeout=2))
        await asyncio.sleep(0)  # one turn of the loop: the waiter is now waiting
        await queue.on_incoming_call(incoming("1", "in-7"))
        return (await waiter).session_id

    assert asyncio.run(scenario()) == "in-7"


class Pass(CallHandler):
    def __init__(self) -> None:
        self.ended: list[str] = []

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.next()

    async def on_call_ended(self, call, reason: str) -> None:  # type: ignore[no-untyped-def]
        self.ended.append(call.id)


def test_composite_skips_next_and_falls_back_to_default():
    passer = Pass()
    composite = CompositeHandler([passer, AutoAnswerHandler()])
    assert decide(composite, incoming("1")).kind == DecisionKind.ACCEPT
    only_pass = CompositeHandler([Pass()])
    assert decide(only_pass, incoming("1")).status == 480
    asyncio.run(composite.on_call_ended(Ended("in-9"), "bye"))  # type: ignore[arg-type]
    assert passer.ended == ["in-9"]
