"""WebSocket API bridge example: drive the engine with JSON over a websocket.

Run: ``python examples/engine/websocket_bridge.py --port 5060 --ws-port 8765``.
A client sends commands and receives replies plus a stream of every engine
event, all as JSON objects::

    -> {"cmd": "make_call", "to": "sip:bob@127.0.0.1:5070", "ref": 1}
    <- {"ref": 1, "ok": true, "call_id": "out-1"}
    <- {"event": "CallStateChanged", "session_id": "out-1", "new_state": "active", ...}
    -> {"cmd": "hangup", "call_id": "out-1"}

Commands: make_call(to, from?), hangup, accept, reject(status?), hold,
resume, transfer(target), send_dtmf(digits, method?), play(path, loop?).
Incoming calls ring until a client accepts or rejects them (or
``--auto-answer``). Errors come back as ``{"ok": false, "error": "CallBusy",
"status": 486}``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

from _cli import base_parser, media_range, say, setup_logging, until_signalled
from websockets.asyncio.server import ServerConnection, serve

from engine import (
    AutoAnswerHandler,
    CallDecision,
    CallHandler,
    EngineError,
    IncomingCall,
    SessionManager,
    SessionManagerBuilder,
)


class ClientDecides(CallHandler):
    """Leave incoming calls ringing: a websocket client accepts or rejects."""

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        return CallDecision.defer()


COMMANDS = {
    "hangup": lambda m, c: m.terminate(c["call_id"]),
    "accept": lambda m, c: m.accept_call(c["call_id"]),
    "reject": lambda m, c: m.reject_call(c["call_id"], c.get("status", 486)),
    "hold": lambda m, c: m.hold(c["call_id"]),
    "resume": lambda m, c: m.resume(c["call_id"]),
    "transfer": lambda m, c: m.transfer(c["call_id"], c["target"]),
    "send_dtmf": lambda m, c: m.send_dtmf(c["call_id"], c["digits"], c.get("method", "rfc2833")),
    "play": lambda m, c: m.play(c["call_id"], c["path"], c.get("loop", False)),
}


async def run_command(manager: SessionManager, cmd: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = {"ref": cmd.get("ref"), "ok": True}
    try:
        if cmd.get("cmd") == "make_call":
            call = await manager.make_call(cmd.get("from"), cmd["to"])
            reply["call_id"] = call.id
        elif cmd.get("cmd") in COMMANDS:
            result = await COMMANDS[cmd["cmd"]](manager, cmd)
            if result is not None:
                reply["result"] = result
        else:
            reply.update(ok=False, error="UnknownCommand")
    except (EngineError, KeyError, ValueError, FileNotFoundError) as exc:
        reply.update(ok=False, error=type(exc).__name__, message=str(exc))
        reply["status"] = getattr(exc, "status", None)
    return reply


async def client(manager: SessionManager, ws: ServerConnection) -> None:
    """Per connection: forward every engine event, answer every command."""

    async def forward_events() -> None:
        with manager.bus.subscribe() as events:
            async for event in events:
                payload = {"event": type(event).__name__, **dataclasses.asdict(event)}
                await ws.send(json.dumps(payload))

    forwarder = asyncio.create_task(forward_events())
    try:
        async for message in ws:
            await ws.send(json.dumps(await run_command(manager, json.loads(message))))
    finally:
        forwarder.cancel()
        await asyncio.gather(forwarder, return_exceptions=True)


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0], 5060, "10800-10900")
    parser.add_argument("--ws-port", type=int, default=8765)
    parser.add_argument("--auto-answer", action="store_true")
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, high = media_range(args.media_ports)
    handler = AutoAnswerHandler() if args.auto_answer else ClientDecides()
    manager = (
        SessionManagerBuilder().with_sip_port(args.port).with_bind_address(args.bind)
        .with_media_ports(low, high).with_handler(handler).build()
    )  # fmt: skip
    async with manager, serve(lambda ws: client(manager, ws), args.bind, args.ws_port):
        say("listening", f"{args.bind}:{manager.sip_port}", "ws", args.ws_port)
        await until_signalled()


if __name__ == "__main__":
    asyncio.run(main())
