"""An engine in its own process, driven by JSON lines: the engine's end of the protocol.

Why a process of its own: pjsua2 allows one endpoint per process, and the process that
drives calls (pytest, `dialplan test`, or one hosting `dialplan serve`) must not own one.
The live driver's caller (caller.py) and the engine tests' peer both run this loop; the
driver's end is process.py.

Requests, one per stdin line: `{"id": 1, "op": NAME, "args": {...}}`, run by the
handler's `op_NAME(args)` one at a time. Replies: `{"id": 1, "ok": true, "result": ...}`,
or `{"id": 1, "ok": false, "error": TYPE, "status": SIP status or null, "message": ...}`.
News the handler sends on its own: `{"event": ...}`. Every line on stdout starts with
`@@ ` (pjsua2 prints a few lines of its own before its log settings apply). The op
`stop`, or the end of input, closes the handler and ends the loop, so a driver that dies
takes its engine with it.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
from array import array
from typing import Any, Protocol

PREFIX = "@@ "


class Handler(Protocol):
    """What the loop drives: `op_NAME` coroutines, and `close` for the end."""

    async def close(self) -> None: ...


def emit(payload: dict[str, Any]) -> None:
    """One line of reply or news to the driver."""
    sys.stdout.write(PREFIX + json.dumps(payload) + "\n")
    sys.stdout.flush()


def rms(pcm: bytes) -> float:
    """Loudness of a frame of 16-bit samples."""
    samples = array("h", pcm[: len(pcm) // 2 * 2])
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


async def serve(handler: Handler) -> None:
    """Answer requests from stdin until `stop` or the end of input."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            request = json.loads(line)
            if request["op"] == "stop":
                await handler.close()
                emit({"id": request["id"], "ok": True, "result": None})
                return
            emit(await _answer(handler, request))
    finally:
        await handler.close()


async def _answer(handler: Handler, request: dict[str, Any]) -> dict[str, Any]:
    try:
        result = await getattr(handler, "op_" + request["op"])(request.get("args", {}))
    except Exception as error:
        return {"id": request["id"], "ok": False, "error": type(error).__name__,
                "status": getattr(error, "status", None), "message": str(error)}
    return {"id": request["id"], "ok": True, "result": result}
