"""The adapter's asyncio facade: snake_case coroutines over the pjsua2 thread.

Why: the rest of the engine must never see pjsua2. ``SipStack`` starts the
worker thread, forwards each operation to it and awaits the result without
blocking the event loop. What the worker sends back (signals from pjsua2
callbacks, the results of operations) arrives in batches, one
``call_soon_threadsafe`` per batch, and is delivered here in order: each signal
to ``on_signal``, each result to the coroutine awaiting it. camelCase stops here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from engine.pjsip import call_ops, media_ops
from engine.pjsip.endpoint import StackConfig
from engine.pjsip.hub import Hub
from engine.pjsip.worker import Outgoing, Reply, Worker
from engine.signals import Signal
from engine.stack import ReferRule, StackError

T = TypeVar("T")


class SipStack:
    """One pjsua2 endpoint, driven from asyncio."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self._on_signal: Callable[[Signal], None] = _unstarted
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: Worker | None = None

    @property
    def sip_port(self) -> int:
        return self._worker.sip_port if self._worker else self.config.sip_port

    @property
    def bind_address(self) -> str:
        return self.config.bind_address

    async def start(self, on_signal: Callable[[Signal], None]) -> None:
        self._on_signal = on_signal
        self._loop = asyncio.get_running_loop()
        self._worker = Worker(self.config, self._hand_over)
        await asyncio.to_thread(self._worker.start)

    async def stop(self) -> None:
        if self._worker is not None:
            await asyncio.to_thread(self._worker.stop)
            self._worker = None

    def _hand_over(self, batch: list[Outgoing]) -> None:
        """On the pjsua2 thread: one hop to the event loop for the whole batch."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # loop closed during pjsua2 shutdown
            loop.call_soon_threadsafe(self._deliver, batch)

    def _deliver(self, batch: list[Outgoing]) -> None:
        assert self._loop is not None
        deliver(batch, self._on_signal, self._loop)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._worker is None or self._loop is None:
            raise StackError(0, "SIP stack is not running", "stack")

        def bound(hub: Hub) -> T:
            return fn(hub, *args)

        waiter: asyncio.Future[T] = self._loop.create_future()
        self._worker.submit(bound, waiter)
        return await waiter

    # -- call control ----------------------------------------------------------------
    async def make_call(self, session_id: str, from_uri: str | None, to_uri: str) -> None:
        await self._run(call_ops.make_call, session_id, from_uri, to_uri)

    async def answer(self, session_id: str, status: int = 200, reason: str = "") -> None:
        await self._run(call_ops.answer, session_id, status, reason)

    async def hangup(
        self, session_id: str, status: int = 0, reason: str = "", contact: str = ""
    ) -> None:
        await self._run(call_ops.hangup, session_id, status, reason, contact)

    async def hold(self, session_id: str) -> None:
        await self._run(call_ops.hold, session_id)

    async def resume(self, session_id: str) -> None:
        await self._run(call_ops.resume, session_id)

    async def transfer(self, session_id: str, target_uri: str) -> None:
        await self._run(call_ops.transfer, session_id, target_uri)

    async def allow_refer(self, session_id: str, rule: ReferRule | None) -> None:
        await self._run(call_ops.allow_refer, session_id, rule)

    async def transfer_attended(self, session_id: str, other_session_id: str) -> None:
        await self._run(call_ops.transfer_attended, session_id, other_session_id)

    async def send_dtmf(self, session_id: str, digits: str, method: str) -> None:
        await self._run(call_ops.send_dtmf, session_id, digits, method)

    async def rx_packets(self, session_id: str) -> int:
        return await self._run(call_ops.rx_packets, session_id)

    # -- media -----------------------------------------------------------------------
    async def play(self, session_id: str, playback_id: str, path: str, loop: bool) -> None:
        await self._run(media_ops.play, session_id, playback_id, path, loop)

    async def stop_play(self, session_id: str, playback_id: str) -> None:
        await self._run(media_ops.stop_play, session_id, playback_id)

    async def record(self, session_id: str, recording_id: str, path: str) -> None:
        await self._run(media_ops.record, session_id, recording_id, path)

    async def stop_record(self, session_id: str, recording_id: str) -> None:
        await self._run(media_ops.stop_record, session_id, recording_id)

    async def tap(self, session_id: str, tap_id: str) -> None:
        await self._run(media_ops.tap, session_id, tap_id)

    async def untap(self, session_id: str, tap_id: str) -> None:
        await self._run(media_ops.untap, session_id, tap_id)

    async def bridge(self, first: str, second: str) -> None:
        await self._run(media_ops.bridge, first, second)

    async def unbridge(self, first: str, second: str) -> None:
        await self._run(media_ops.unbridge, first, second)

    async def mute(self, session_id: str, muted: bool) -> None:
        await self._run(media_ops.mute, session_id, muted)

    async def bridge_slots_left(self) -> int:
        """Free conference-bridge slots (calls, players, recorders and taps hold them).

        As the worker last published them (with its latest batch, so at least as fresh
        as the signal being handled): asked for every INVITE, a round trip would cost
        two thread wake-ups. A slot freed since then counts as used until the next
        batch, which errs towards refusing."""
        if self._worker is None:
            raise StackError(0, "SIP stack is not running", "stack")
        return self.config.bridge_ports - self._worker.ports_in_use

    async def live_counts(self) -> dict[str, int]:
        """Live pjsua2 objects (calls, players, recorders, taps): for leak checks."""
        return await self._run(_counts)


def deliver(
    batch: list[Outgoing], on_signal: Callable[[Signal], None], loop: asyncio.AbstractEventLoop
) -> None:
    """On the event loop: each item in order, signals to ``on_signal``, results to their
    waiters; an error in one goes to the loop's exception handler, the rest still go."""
    for item in batch:
        try:
            if isinstance(item, Reply):
                _settle(item)
            else:
                on_signal(item)
        except Exception as exc:
            loop.call_exception_handler(
                {"message": f"error handling {type(item).__name__}", "exception": exc}
            )


def _settle(reply: Reply) -> None:
    if reply.waiter.done():  # cancelled while the work ran
        return
    if reply.error is not None:
        reply.waiter.set_exception(reply.error)
    else:
        reply.waiter.set_result(reply.value)


def _unstarted(signal: Signal) -> None:
    """No signal can arrive before ``start``: the worker thread does not exist yet."""


def pj_active_ports() -> int:
    from engine.pjsip.endpoint import active_ports

    return active_ports()


def _counts(hub: Hub) -> dict[str, int]:
    media = hub.media.values()
    return {
        "calls": len(hub.calls),
        "players": sum(len(m.players) for m in media) + len(hub.graveyard),
        "recorders": sum(len(m.recorders) for m in media),
        "taps": sum(len(m.taps) for m in media),
        "bridge_ports": max(0, pj_active_ports() - 1),  # slot 0 is the sound device
    }
