"""Call-centre queue example: queue callers, play hold music, connect agents.

Run: ``python examples/engine/call_centre_queue.py --port 5060 --agents
sip:agent1@host sip:agent2@host --music music.wav``. Incoming calls wait in a
bounded ``QueueHandler`` (a full queue rejects with 486). A dispatcher task
takes the longest-waiting caller, answers it with looping hold music, dials
the next free agent and, once the agent answers, stops the music and bridges
the two. When either leg hangs up, the other is hung up too. With one engine
process at most 4 legs exist (2 conversations): the queue size should match.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from _cli import base_parser, media_range, say, setup_logging, until_signalled

from engine import CallFailed, IncomingCall, QueueHandler, SessionManager, SessionManagerBuilder

LOG = logging.getLogger("call_centre")


async def connect(manager: SessionManager, caller: IncomingCall, agent: str, music: str | None):
    await manager.accept_call(caller.session_id)
    customer = manager.get_session(caller.session_id)
    await customer.wait_for_answer(5)
    music_id = await customer.play(music, loop=True) if music else None
    try:
        agent_leg = await manager.make_call(None, agent)
        await agent_leg.wait_for_answer(20)
    except CallFailed as exc:
        say("agent-failed", agent, exc.status)
        await customer.terminate()
        return
    if music_id:
        await customer.stop_playback(music_id)
    await manager.bridge(customer.id, agent_leg.id)
    say("connected", customer.id, agent_leg.id)
    waits = [asyncio.create_task(leg.wait_ended()) for leg in (customer, agent_leg)]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for leg in (customer, agent_leg):
        await leg.terminate()
    await asyncio.wait(waits, timeout=5)
    for wait in waits:
        wait.cancel()
    say("finished", customer.id)


async def dispatch(manager: SessionManager, queue: QueueHandler, agents: list[str], music):
    """One conversation at a time per agent; agents are used round-robin."""
    next_agent = itertools.cycle(agents)
    running: set[asyncio.Task[None]] = set()
    try:
        while True:
            caller = await queue.dequeue()
            say("dequeued", caller.session_id, caller.from_uri)
            task = asyncio.create_task(connect(manager, caller, next(next_agent), music))
            running.add(task)
            task.add_done_callback(running.discard)
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


async def main() -> None:
    parser = base_parser(__doc__.splitlines()[0], 5060, "10600-10700")
    parser.add_argument("--agents", nargs="+", required=True, help="agent SIP URIs")
    parser.add_argument("--music", help="hold music WAV (loops)")
    parser.add_argument("--queue-size", type=int, default=2)
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, high = media_range(args.media_ports)
    queue = QueueHandler(max_queue_size=args.queue_size)
    manager = (
        SessionManagerBuilder().with_sip_port(args.port).with_bind_address(args.bind)
        .with_media_ports(low, high).with_handler(queue).build()
    )  # fmt: skip
    async with manager:
        say("listening", f"{args.bind}:{manager.sip_port}")
        dispatcher = asyncio.create_task(dispatch(manager, queue, args.agents, args.music))
        await until_signalled()
        dispatcher.cancel()
        await asyncio.gather(dispatcher, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main())
