"""Worker pool example: K engine processes, forked from one parent, recycled.

Run: ``python examples/engine/worker_pool.py --workers 4 --port 5080``; worker
i listens on SIP port ``port + i`` with its own RTP range, and a dispatcher
(Kamailio's dispatcher module, see shared/notes/pjsua2.md) spreads calls
over them. Why this shape: the wheel caps a process at 4 calls, and a
process must be recycled once its bridge is used up (``needs_restart``). The
parent imports everything, freezes the GC and only then forks, so workers
share memory pages; each worker creates its own pjsua2 endpoint after the
fork. A worker that is drained for recycling exits with code 75 and is
forked again; SIGTERM to the parent stops every worker gracefully.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys

from _cli import base_parser, media_range, say, setup_logging, until_signalled

from engine import AutoAnswerHandler, SessionManagerBuilder

RECYCLE = 75


async def serve(port: int, low: int, high: int, bind: str) -> int:
    manager = (
        SessionManagerBuilder().with_sip_port(port).with_bind_address(bind)
        .with_media_ports(low, high).with_handler(AutoAnswerHandler()).build()
    )  # fmt: skip
    await manager.start()
    say("worker", os.getpid(), "listening", f"{bind}:{manager.sip_port}")
    stop = asyncio.create_task(until_signalled())
    while not stop.done():
        await asyncio.wait([stop], timeout=1.0)
        if manager.needs_restart and not manager.sessions():
            break  # drained: let the parent start a fresh process
    stop.cancel()
    await manager.stop()
    return RECYCLE if manager.needs_restart else 0


def fork_worker(index: int, port: int, bind: str, low: int) -> int:
    """Fork worker ``index``: SIP port ``port + index``, RTP ``low + 100*index``."""
    pid = os.fork()
    if pid:
        return pid
    media_low = low + index * 100
    os._exit(asyncio.run(serve(port + index, media_low, media_low + 98, bind)))


def main() -> None:
    parser = base_parser(__doc__.splitlines()[0], 5080, "20000-29999")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setup_logging(args.verbose)
    low, _high = media_range(args.media_ports)
    gc.freeze()  # keep imported objects' pages shared after fork
    workers = {fork_worker(i, args.port, args.bind, low): i for i in range(args.workers)}
    stopping = False

    def on_term(_signo: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in workers:
            os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    say("pool", os.getpid(), "workers", args.workers)
    while workers:
        pid, status = os.wait()
        index = workers.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        say("exited", index, pid, code)
        if code == RECYCLE and not stopping:
            workers[fork_worker(index, args.port, args.bind, low)] = index
    say("stopped")
    sys.exit(0)


if __name__ == "__main__":
    main()
