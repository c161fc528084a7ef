"""A SessionManager in its own process for the engine tests, run by dialplan.live.lines.

Why: the wheel allows one pjsua2 endpoint per process, and the acceptance tests need
two (or three) real SIP peers. The test process never imports pjsua2; it starts
``python -m tests.engine.peer`` per peer (support.PeerProcess, on the live driver's
EngineProcess) and sends requests like ``{"id": 1, "op": "make_call", "args": {"to":
"sip:..."}}`` over the protocol the live driver's callers speak (dialplan/live/lines.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from typing import Any

import engine
from dialplan.live.lines import rms, serve
from engine import (
    AutoAnswerHandler,
    CallDecision,
    CallHandler,
    EngineEvent,
    IncomingCall,
    Priority,
    QueueHandler,
    ResourceLimits,
    SessionManager,
    SessionManagerBuilder,
)


class RejectHandler(CallHandler):
    def __init__(self, status: int) -> None:
        self.status = status

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.reject(self.status, "Rejected By Test")


class DeferHandler(CallHandler):
    """Leaves every call ringing: the test decides (progress, accept, reject)."""

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.defer()


def make_handler(spec: str) -> CallHandler:
    if spec == "auto":
        return AutoAnswerHandler()
    if spec == "defer":
        return DeferHandler()
    if spec.startswith("reject:"):
        return RejectHandler(int(spec.split(":")[1]))
    if spec.startswith("queue:"):
        return QueueHandler(int(spec.split(":")[1]))
    raise ValueError(spec)


class Peer:
    def __init__(self) -> None:
        self.manager: SessionManager | None = None
        self.events: list[EngineEvent] = []
        self.new_event = asyncio.Event()
        self.placed: dict[str, Any] = {}  # our calls' handles: valid after the call ended

    @property
    def m(self) -> SessionManager:
        assert self.manager is not None
        return self.manager

    async def op_start(self, a: dict[str, Any]) -> dict[str, Any]:
        builder = (
            SessionManagerBuilder()
            .with_sip_port(a["sip_port"])
            .with_bind_address("127.0.0.1")
            .with_media_ports(a["media_low"], a["media_high"])
            .with_handler(make_handler(a.get("handler", "auto")))
            .with_media_timeout(a.get("media_timeout", 0.0))
        )
        if "max_sessions" in a:
            builder.with_max_sessions(a["max_sessions"])
        if "reserved" in a:
            builder.with_limits(ResourceLimits(a["max_sessions"], a["reserved"]))
            builder.with_priority_rule(
                lambda call: Priority.EMERGENCY if call.dialled == "911" else Priority.NORMAL
            )
        if "bridge_ports" in a:
            builder.with_bridge_ports(a["bridge_ports"])
        if "srtp" in a:
            builder.with_srtp(a["srtp"])
        self.manager = builder.build()
        await self.m.start()
        sub = self.m.bus.subscribe()
        asyncio.get_running_loop().create_task(self._collect(sub))
        return {"sip_port": self.m.sip_port, "capacity": self.m.capacity}

    async def _collect(self, sub: engine.Subscription) -> None:
        async for event in sub:
            self.events.append(event)
            self.new_event.set()

    async def op_wait_event(self, a: dict[str, Any]) -> dict[str, Any]:
        """First not-yet-consumed event of ``kind`` matching ``where``."""
        where = a.get("where", {})
        async with asyncio.timeout(a.get("timeout_s", 10)):
            while True:
                for event in self.events:
                    fields = dataclasses.asdict(event)
                    if type(event).__name__ == a["kind"] and all(
                        fields.get(k) == v for k, v in where.items()
                    ):
                        self.events.remove(event)
                        return {"kind": a["kind"], **fields}
                self.new_event.clear()
                await self.new_event.wait()

    async def op_make_call(self, a: dict[str, Any]) -> str:
        call = await self.m.make_call(a.get("from"), a["to"])
        self.placed[call.id] = call
        return call.id

    async def op_wait_answer(self, a: dict[str, Any]) -> None:
        """Through the handle: a call refused before this request arrives still gives
        its typed error (by id it would already be gone from the registry)."""
        call = self.placed.get(a["session"])
        if call is None:
            await self.m.wait_for_answer(a["session"], a.get("timeout", 10))
        else:
            await call.wait_for_answer(a.get("timeout", 10))

    async def op_accept_refer(self, a: dict[str, Any]) -> None:
        """REFERs from this session's far end get ``status`` (202: followed)."""
        status = int(a.get("status", 202))
        await self.m.accept_refer(a["session"], lambda _target: status)

    async def op_call(self, a: dict[str, Any]) -> Any:
        """Call any SessionManager coroutine method by name (plain-data args)."""
        result = await getattr(self.m, a["method"])(*a.get("params", []))
        if dataclasses.is_dataclass(result) and not isinstance(result, type):
            return dataclasses.asdict(result)
        return result

    async def op_state(self, a: dict[str, Any]) -> dict[str, Any]:
        session = self.m.registry.find(a["session"])
        if session is None:
            return {"state": "gone"}
        return {
            "state": str(session.state),
            "local_hold": session.local_hold,
            "remote_hold": session.remote_hold,
        }

    async def op_listen(self, a: dict[str, Any]) -> dict[str, Any]:
        """Stream received audio for ``seconds``; report frames and loudest RMS."""
        frames, loudest = 0, 0.0
        skip = int(a.get("settle", 0.0) * 50)  # frames still in flight (jitter buffer)
        stream = self.m.stream_audio(a["session"])
        try:
            async with asyncio.timeout(a["seconds"] + a.get("settle", 0.0)):
                async for pcm in stream:
                    frames += 1
                    if frames > skip:
                        loudest = max(loudest, rms(pcm))
        except TimeoutError:
            pass
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        return {"frames": frames, "rms": loudest}

    async def op_health(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"needs_restart": self.m.needs_restart, "capacity": self.m.capacity}

    async def op_live_objects(self, a: dict[str, Any]) -> dict[str, int]:
        return await self.m.live_objects()

    async def close(self) -> None:
        """Graceful stop (hangs up and closes recorders); once, at `stop` or end of input."""
        manager, self.manager = self.manager, None
        if manager is not None:
            await manager.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(serve(Peer()))
