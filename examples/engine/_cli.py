"""Shared command-line bits for the engine examples (ports, logging, signals)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys


def base_parser(description: str, sip_port: int, media: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bind", default="127.0.0.1", help="address to bind SIP and RTP to")
    parser.add_argument("--port", type=int, default=sip_port, help="SIP UDP port (0: any)")
    parser.add_argument("--media-ports", default=media, help="RTP port range LOW-HIGH")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def media_range(text: str) -> tuple[int, int]:
    low, high = text.split("-")
    return int(low), int(high)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


async def until_signalled() -> None:
    """Wait for SIGINT or SIGTERM (then the caller stops the engine gracefully)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def say(*parts: object) -> None:
    """One machine-readable line on stdout (tests and scripts parse these).

    Written with a single ``os.write`` so lines from forked workers sharing
    the pipe never interleave.
    """
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), (" ".join(str(p) for p in parts) + "\n").encode())
