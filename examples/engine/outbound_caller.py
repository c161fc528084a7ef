"""Outbound caller example: a small campaign with confirmation by keypad.

Run: ``python examples/engine/outbound_caller.py sip:a@host sip:b@host
--message notice.wav``. Each target is called (up to the engine's capacity
at once); when answered the message plays and the callee presses 1 to
confirm. Prints one result line per target: ``confirmed``, ``no-confirm``,
or ``failed <ErrorType> <status>``. Failures are the engine's typed errors.
"""

from __future__ import annotations

import asyncio

from _cli import base_parser, media_range, say, setup_logging

from engine import CallFailed, DtmfReceived, SessionManager, SessionManagerBuilder


async def call_one(manager: SessionManager, target: str, args: object, slots: asyncio.Semaphore):
    async with slots:
        try:
            call = await manager.make_call(None, target)
            await call.wait_for_answer(getattr(args, "answer_timeout", 20.0))
        except CallFailed as exc:
            return target, f"failed {type(exc).__name__} {exc.status}"
        with call.events() as events:
            message = getattr(args, "message", None)
            if message:
                await call.play(message)
            try:
                await events.wait_for(
                    DtmfReceived, lambda e: e.digit == "1", getattr(args, "confirm_timeout", 10.0)
                )
                result = "confirmed"
            except TimeoutError:
                result = "no-confirm"
        await call.terminate()
        return target, result


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0], 0, "10400-10500")
    parser.add_argument("targets", nargs="+", help="SIP URIs to call")
    parser.add_argument("--message", help="WAV to play to each callee")
    parser.add_argument("--answer-timeout", type=float, default=20.0)
    parser.add_argument("--confirm-timeout", type=float, default=10.0)
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, high = media_range(args.media_ports)
    manager = (
        SessionManagerBuilder().with_sip_port(args.port).with_bind_address(args.bind)
        .with_media_ports(low, high).build()
    )  # fmt: skip
    async with manager:
        slots = asyncio.Semaphore(manager.capacity)
        results = await asyncio.gather(*(call_one(manager, t, args, slots) for t in args.targets))
    for target, result in results:
        say("result", target, result)


if __name__ == "__main__":
    asyncio.run(main())
