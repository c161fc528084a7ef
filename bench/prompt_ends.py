"""Benchmark (issue 15): does every prompt's end reach the engine's listeners?

    .venv/bin/python bench/prompt_ends.py [--calls 200] [--hold-ms 2000]
        [--length 0.2] [--rate 20]
    taskset -c 0 .venv/bin/python bench/prompt_ends.py ...   # starved of CPU

One engine in this process (no dialplan, no pool, no Kamailio: only the player's end,
``onEof2``, on its way through pjmedia's event thread, the pjsua2 thread and the batch
to asyncio), SIPp as the caller (4 calls up at once, each held ``--hold-ms``). Every
answered call plays a ``--length`` s WAV back to back until it hangs up, so players
are created, pulled to their end and destroyed as fast as the bridge allows, beside
calls that arrive and leave. Printed: plays, ends **not reported** within the
prompt's length + 2 s (what the runtime's overdue guard would take over, 5 s later),
and how long after its length each end came (p50/p95/max). 127.0.0.1 only, bounded
by SIPp's -m and -timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import (
    AutoAnswerHandler,
    CallStateChanged,
    PlaybackFinished,
    SessionManager,
    SessionManagerBuilder,
)
from tests.engine.sipp import answered_call
from tests.engine.support import free_port_block

GRACE = 2.0  # s past a prompt's length before its end counts as not reported


class Tally:
    def __init__(self) -> None:
        self.plays = 0
        self.unreported: list[str] = []
        self.delays: list[float] = []  # s from play + length to its end


def write_prompt(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(int(16000 * seconds)))


async def keep_playing(manager: SessionManager, session_id: str, prompt: str,
                       length: float, tally: Tally) -> None:
    """Plays ``prompt`` until the call ends; each end awaited at most length + GRACE."""
    call = manager.get_session(session_id)
    with call.events() as events:
        while True:
            try:
                pid = await call.play(prompt)
            except Exception:  # the call ended meanwhile
                return
            started = time.monotonic()
            tally.plays += 1
            try:
                done = await events.wait_for(PlaybackFinished, lambda e, p=pid: e.playback_id == p,
                                             timeout=length + GRACE)
            except TimeoutError:
                tally.unreported.append(f"{session_id}/{pid}")
                return
            if done.stopped:
                return
            tally.delays.append(time.monotonic() - started - length)


async def run(args: argparse.Namespace, workdir: Path) -> Tally:
    prompt = workdir / "prompt.wav"
    write_prompt(prompt, args.length)
    sip, media = free_port_block(1), free_port_block(40)
    manager = (SessionManagerBuilder().with_sip_port(sip).with_bind_address("127.0.0.1")
               .with_media_ports(media, media + 39).with_handler(AutoAnswerHandler()).build())
    tally = Tally()
    players: set[asyncio.Task[None]] = set()
    async with manager:
        answered = manager.bus.subscribe()

        async def on_answer() -> None:
            async for event in answered:
                if isinstance(event, CallStateChanged) and event.new_state == "active":
                    task = asyncio.create_task(keep_playing(
                        manager, event.session_id, str(prompt), args.length, tally))
                    players.add(task)
                    task.add_done_callback(players.discard)

        watcher = asyncio.create_task(on_answer())
        scenario = workdir / "caller.xml"
        scenario.write_text(answered_call("", hold_ms=args.hold_ms))
        sipp = await asyncio.create_subprocess_exec(
            "sipp", f"127.0.0.1:{sip}", "-sf", str(scenario), "-s", "100",
            "-i", "127.0.0.1", "-p", str(free_port_block(1)), "-mi", "127.0.0.1",
            "-mp", str(free_port_block(4)), "-r", str(args.rate), "-m", str(args.calls),
            "-l", "4", "-timeout", f"{args.calls * args.hold_ms // 1000 + 60}s", "-nostdin",
            cwd=workdir, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        code = await sipp.wait()
        if players:
            await asyncio.wait(players, timeout=args.length + GRACE + 1)
        watcher.cancel()
        answered.close()
        if code != 0:
            print(f"  SIPp exited {code} (some calls failed)")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--hold-ms", type=int, default=2000)
    parser.add_argument("--length", type=float, default=0.2, help="prompt seconds")
    parser.add_argument("--rate", type=float, default=20.0, help="calls/s (4 up at most)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="prompt-ends-") as workdir:
        started = time.monotonic()
        tally = asyncio.run(run(args, Path(workdir)))
    delays = sorted(tally.delays) or [0.0]
    p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
    print(f"{args.calls} calls held {args.hold_ms} ms, {args.length} s prompts back to back, "
          f"{time.monotonic() - started:.0f} s: {tally.plays} plays, "
          f"{len(tally.unreported)} ends not reported within length + {GRACE:.0f} s "
          f"{tally.unreported[:5] or ''}")
    print(f"  end after the prompt's length: p50 {statistics.median(delays) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
