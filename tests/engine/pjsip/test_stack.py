"""How the SIP stack's batches reach the event loop: in order, signals to the listener
and results to the coroutines awaiting them, one failure not stopping the rest, a
cancelled wait left alone. (Real calls through the batches: tests/engine/test_sip*.)"""

from __future__ import annotations

import asyncio
from typing import Any

from engine.pjsip.stack import deliver
from engine.pjsip.worker import Outgoing, Reply
from engine.signals import DtmfSignal, Signal, StateSignal
from engine.stack import StackError


def test_a_batch_reaches_listener_and_waiters_in_the_order_it_happened() -> None:
    async def scenario() -> list[Any]:
        loop = asyncio.get_running_loop()
        seen: list[Any] = []
        answered, played = loop.create_future(), loop.create_future()
        answered.add_done_callback(lambda f: seen.append(("answered", f.result())))
        played.add_done_callback(lambda f: seen.append(("played", type(f.exception()))))
        batch: list[Outgoing] = [
            StateSignal("in-1", "connecting", 200, "OK"), Reply(answered, None),
            DtmfSignal("in-1", "1", "rfc2833"),
            Reply(played, error=StackError(0, "gone", "play")),
        ]
        deliver(batch, seen.append, loop)
        await asyncio.sleep(0)  # the waiters' callbacks run on the next loop pass
        return seen

    seen = asyncio.run(scenario())
    assert seen == [StateSignal("in-1", "connecting", 200, "OK"),
                    DtmfSignal("in-1", "1", "rfc2833"),
                    ("answered", None), ("played", StackError)]


def test_a_failing_listener_is_reported_and_the_rest_of_the_batch_still_arrives() -> None:
    async def scenario() -> tuple[list[Signal], list[dict[str, Any]], object]:
        loop = asyncio.get_running_loop()
        errors: list[dict[str, Any]] = []
        loop.set_exception_handler(lambda _loop, context: errors.append(context))
        seen: list[Signal] = []

        def listener(signal: Signal) -> None:
            if isinstance(signal, StateSignal):
                raise RuntimeError("listener bug")
            seen.append(signal)

        waiter = loop.create_future()
        deliver([StateSignal("in-1", "confirmed", 200, "OK"),
                 DtmfSignal("in-1", "5", "rfc2833"), Reply(waiter, "done")], listener, loop)
        return seen, errors, await waiter

    seen, errors, result = asyncio.run(scenario())
    assert seen == [DtmfSignal("in-1", "5", "rfc2833")]
    assert [type(e["exception"]) for e in errors] == [RuntimeError]
    assert result == "done"


def test_a_result_for_a_wait_already_cancelled_is_dropped() -> None:
    async def scenario() -> bool:
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        waiter.cancel()
        deliver([Reply(waiter, "late")], lambda _signal: None, loop)
        return waiter.cancelled()

    assert asyncio.run(scenario())
