"""P2P call example: call a SIP URI directly, talk to it, hang up.

Run: ``python examples/engine/p2p_call.py sip:bob@127.0.0.1:5060 --dtmf 123
--play hello.wav --record heard.wav --seconds 5``. No registrar or proxy is
involved (the seed's p2p mode). Typed errors show why a call failed, e.g.
``CallBusy 486`` or ``CallTimeout 408``; the exit code is 0 on success and 1
when the call could not be made.
"""

from __future__ import annotations

import asyncio
import contextlib

from _cli import base_parser, media_range, say, setup_logging

from engine import CallFailed, DtmfReceived, SessionManagerBuilder


async def main() -> int:
    parser = base_parser(__doc__.splitlines()[0], 0, "10200-10300")
    parser.add_argument("target", help="SIP URI to call")
    parser.add_argument("--from-uri", default=None, help="From URI (default: the engine's)")
    parser.add_argument("--dtmf", default="", help="digits to send once answered")
    parser.add_argument("--dtmf-method", default="rfc2833", choices=["rfc2833", "sip_info"])
    parser.add_argument("--play", help="WAV to play once answered")
    parser.add_argument("--record", help="WAV file to record the far end into")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to stay on")
    parser.add_argument("--answer-timeout", type=float, default=15.0)
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, high = media_range(args.media_ports)
    manager = (
        SessionManagerBuilder().p2p_mode().with_sip_port(args.port)
        .with_bind_address(args.bind).with_media_ports(low, high).build()
    )  # fmt: skip
    async with manager:
        try:
            call = await manager.make_call(args.from_uri, args.target)
            await call.wait_for_answer(args.answer_timeout)
        except CallFailed as exc:
            say("failed", type(exc).__name__, exc.status, exc.reason)
            return 1
        say("answered", call.id)
        events = call.events()
        if args.record:
            await call.record(args.record)
        if args.play:
            await call.play(args.play)
        if args.dtmf:
            await call.send_dtmf(args.dtmf, args.dtmf_method)
        with contextlib.suppress(TimeoutError):
            await call.wait_ended(args.seconds)
        for event in events.pending():
            if isinstance(event, DtmfReceived):
                say("dtmf", event.digit, event.method)
        await call.terminate()
        with contextlib.suppress(TimeoutError):
            await call.wait_ended(5)
        say("ended", call.final_status, call.final_reason)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
