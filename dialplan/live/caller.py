"""The caller of a live scenario: an engine in its own process, run by lines.serve.

The live driver starts `python -m dialplan.live.caller` per call (process.start_caller).
Requests (lines.py has the protocol): `call` (to, from, timeout) places the call and
waits for the answer or the refusal; `press` (digits) sends RFC 2833 DTMF; `hangup`;
`quiet` tells how long the audio received has been silent (how a driver without the
service's trace knows a prompt is over). News: `ready` (sip_port) once the engine
runs, `answered`, `transfer` (the REFER's target: the engine accepts it and calls the
target itself, as a transferee does), `ended` (status, reason) for the caller's leg.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

import engine

from .lines import emit, rms, serve

LOUD = 300.0  # RMS of a 16-bit frame above which the caller hears something


class RefuseCalls(engine.CallHandler):
    """A scenario's caller takes no calls."""

    async def on_incoming_call(self, call: engine.IncomingCall) -> engine.CallDecision:
        return engine.CallDecision.reject(403, "Forbidden")


class Caller:
    """The requests a live scenario's caller answers, on one started engine."""

    def __init__(self, manager: engine.SessionManager) -> None:
        self.manager = manager
        self.call: engine.CallSession | None = None
        self.loud_at = 0.0  # when the audio received was last loud (loop time)
        self.listening: asyncio.Task[None] | None = None
        self.watching = asyncio.create_task(self.watch())
        self.closed = False

    async def watch(self) -> None:
        """News from the wire about the caller's leg."""
        with self.manager.bus.subscribe() as events:
            async for event in events:
                self._note(event)

    def _note(self, event: engine.EngineEvent) -> None:
        leg = self.call.id if self.call else None
        match event:
            case engine.CallTransferred(target_uri=target) if event.parent_session_id == leg:
                emit({"event": "transfer", "target": target.strip().strip("<>")})
            case engine.CallStateChanged(new_state="active") if event.session_id == leg:
                emit({"event": "answered"})
            case engine.CallEnded(status=status, reason=reason) if event.session_id == leg:
                emit({"event": "ended", "status": status, "reason": reason})

    async def op_call(self, a: dict[str, Any]) -> dict[str, Any]:
        self.call = await self.manager.make_call(a.get("from"), a["to"])
        await self.call.accept_refer(lambda _target: 202)  # a phone follows a transfer
        try:
            await self.call.wait_for_answer(a.get("timeout", 10))
        except engine.CallFailed as failure:
            return {"answered": False, "status": failure.status, "reason": str(failure)}
        self.loud_at = asyncio.get_running_loop().time()
        self.listening = asyncio.create_task(self._listen(self.call))
        return {"answered": True}

    async def _listen(self, call: engine.CallSession) -> None:
        loop = asyncio.get_running_loop()
        async for pcm in call.stream_audio():
            if rms(pcm) > LOUD:
                self.loud_at = loop.time()

    async def op_quiet(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"seconds": asyncio.get_running_loop().time() - self.loud_at}

    async def op_press(self, a: dict[str, Any]) -> dict[str, Any]:
        assert self.call is not None
        await self.call.send_dtmf(a["digits"], "rfc2833")
        return {}

    async def op_hangup(self, a: dict[str, Any]) -> dict[str, Any]:
        if self.call is not None:
            await self.call.terminate()
            await self.call.wait_ended(5)
        return {}


    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.listening is not None:
            self.listening.cancel()
        await self.manager.stop()
        self.watching.cancel()


async def run(media_low: int, media_high: int) -> None:
    manager = (engine.SessionManagerBuilder().with_sip_port(0)
               .with_bind_address("127.0.0.1").with_media_ports(media_low, media_high)
               .with_handler(RefuseCalls()).build())
    await manager.start()
    caller = Caller(manager)
    emit({"event": "ready", "sip_port": manager.sip_port})
    await serve(caller)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media-ports", required=True, metavar="LOW-HIGH")
    args = parser.parse_args()
    low, high = (int(p) for p in args.media_ports.split("-"))
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(run(low, high))


if __name__ == "__main__":
    main()
