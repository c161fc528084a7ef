"""The caller of a live scenario: one engine in its own process, driven by JSON lines.

Why a process of its own: pjsua2 allows one endpoint per process, and the process
that runs scenarios (pytest, `dialplan test`, or one hosting `dialplan serve`) must
not own one. The live driver starts `python -m dialplan.live.caller` per call
and writes one command per line on its stdin; every reply and every piece of news
from the wire is one stdout line starting with `@@ ` (pjsua2 prints a few lines of its
own before its log settings apply; the driver ignores those).

Commands (`{"id": 1, "op": ..., ...}`; each gets `{"id": 1, "ok": ..., ...}`):
`call` (to, from, timeout) places the call and waits for the answer or the refusal;
`press` (digits) sends RFC 2833 DTMF; `hangup`; `quiet` tells how long the audio
received has been silent (how a driver without the service's trace knows a prompt is
over); `stop`. News (`{"event": ...}`):
`answered`, `transfer` (the REFER's target: the engine accepts it and calls the
target itself, as a transferee does), `ended` (status, reason) for the caller's leg.
End of input stops the engine, so a driver that dies takes its caller with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import sys
from array import array
from typing import Any

import engine

LOUD = 300.0  # RMS of a 16-bit frame above which the caller hears something


def rms(pcm: bytes) -> float:
    samples = array("h", pcm[: len(pcm) // 2 * 2])
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


class RefuseCalls(engine.CallHandler):
    """A scenario's caller takes no calls."""

    async def on_incoming_call(self, call: engine.IncomingCall) -> engine.CallDecision:
        return engine.CallDecision.reject(403, "Forbidden")


def emit(payload: dict[str, Any]) -> None:
    sys.stdout.write("@@ " + json.dumps(payload) + "\n")
    sys.stdout.flush()


class Caller:
    def __init__(self, manager: engine.SessionManager) -> None:
        self.manager = manager
        self.call: engine.CallSession | None = None
        self.loud_at = 0.0  # when the audio received was last loud (loop time)
        self.listening: asyncio.Task[None] | None = None

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


async def serve(media_low: int, media_high: int) -> None:
    manager = (engine.SessionManagerBuilder().with_sip_port(0)
               .with_bind_address("127.0.0.1").with_media_ports(media_low, media_high)
               .with_handler(RefuseCalls()).build())
    await manager.start()
    caller = Caller(manager)
    watcher = asyncio.create_task(caller.watch())
    emit({"event": "ready", "sip_port": manager.sip_port})
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            request = json.loads(line)
            if request["op"] == "stop":
                break
            try:
                result = await getattr(caller, "op_" + request["op"])(request)
                emit({"id": request["id"], "ok": True, **result})
            except Exception as error:
                emit({"id": request["id"], "ok": False,
                      "error": f"{type(error).__name__}: {error}"})
    finally:
        if caller.listening is not None:
            caller.listening.cancel()
        await manager.stop()
        watcher.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media-ports", required=True, metavar="LOW-HIGH")
    args = parser.parse_args()
    low, high = (int(p) for p in args.media_ports.split("-"))
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(serve(low, high))


if __name__ == "__main__":
    main()
