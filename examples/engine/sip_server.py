"""SIP server example: answer every call, report DTMF, hang up on '#'.

Run: ``python examples/engine/sip_server.py --port 5060``; call it with any
SIP phone or SIPp. Prints one line per event (``dtmf <session> <digit>``,
``ended <session> <status> <reason>``) so scripts can follow along. With
``--prompt file.wav`` it plays the file to each caller once answered.
Stops gracefully (calls hung up, everything released) on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import asyncio

from _cli import base_parser, media_range, say, setup_logging, until_signalled

from engine import (
    AutoAnswerHandler,
    CallEnded,
    CallStateChanged,
    DtmfReceived,
    SessionManager,
    SessionManagerBuilder,
)


async def follow(manager: SessionManager, prompt: str | None) -> None:
    """Print events; play the prompt on answer; hang up when '#' is pressed."""
    with manager.bus.subscribe() as events:
        async for event in events:
            match event:
                case CallStateChanged(session_id=sid, new_state="active"):
                    say("answered", sid)
                    if prompt:
                        await manager.play(sid, prompt)
                case DtmfReceived(session_id=sid, digit=digit, method=method):
                    say("dtmf", sid, digit, method)
                    if digit == "#":
                        await manager.terminate(sid)
                case CallEnded(session_id=sid, status=status, reason=reason):
                    say("ended", sid, status, reason)


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0], 5060, "10000-10100")
    parser.add_argument("--max-calls", type=int, default=4, help="concurrent calls (max 4)")
    parser.add_argument("--prompt", help="WAV file to play to each caller")
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, high = media_range(args.media_ports)
    manager = (
        SessionManagerBuilder()
        .with_sip_port(args.port)
        .with_bind_address(args.bind)
        .with_media_ports(low, high)
        .with_max_sessions(args.max_calls)
        .with_handler(AutoAnswerHandler())
        .build()
    )
    await manager.start()
    say("listening", f"{args.bind}:{manager.sip_port}", "capacity", manager.capacity)
    follower = asyncio.create_task(follow(manager, args.prompt))
    try:
        await until_signalled()
    finally:
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)
        await manager.stop()
        say("stopped")


if __name__ == "__main__":
    asyncio.run(main())
