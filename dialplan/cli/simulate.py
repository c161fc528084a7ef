"""`dialplan simulate FILE`: call a plan from the terminal, on a virtual clock.

Exit codes: 0 the session ended (quit or end of input), 1 the plan does not compile,
2 usage error (no such file, an unreadable --at).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..build import build_file
from ..loader import Sources
from ..lookups.mocks import HttpMock
from ..plan import Plan
from ..render import format_text
from ..sim import BadInstant, VirtualCall, parse_instant
from ..sim.console import Console
from ..sim.prompts import prompt_timing
from .common import missing_paths


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("simulate", help="call a plan from the terminal (no phone)")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--number", help="the dialled number (default: the plan's first "
                                         "exact route, else 100)")
    parser.add_argument("--caller", default="5551234", help="the caller's number")
    parser.add_argument("--extension", default="", metavar="N",
                        help="call from this extension, authenticated by the registrar "
                             "(caller.extension; it is also the caller's number)")
    parser.add_argument("--at", metavar="TIME",
                        help='when the call happens, e.g. "2026-12-24 09:30 Europe/Berlin" '
                             "(default: now)")
    parser.add_argument("--prompts", default="instant", metavar="TIMING",
                        help="how long prompts play: instant (default), spoken (estimated "
                             "from the words), or a fixed length such as 2s")
    parser.add_argument("--http", action="append", default=[], metavar="URL=JSON",
                        help="answer fetches of URLs starting with URL with this JSON body "
                             "(repeatable; without one a fetch fails)")
    parser.set_defaults(handler=run)


def http_mocks(given: list[str]) -> tuple[HttpMock, ...]:
    """`--http URL=JSON` options as mocks; ValueError for one without `=`."""
    mocks = []
    for option in given:
        url, equals, body = option.partition("=")
        if not equals or not url:
            raise ValueError(f"{option!r} is not URL=JSON")
        mocks.append(HttpMock(url, body=body))
    return tuple(mocks)


def default_number(plan: Plan) -> str:
    for route in plan.routes:
        exact = [number for number in route.numbers if not number.startswith("_")]
        if exact:
            return exact[0]
    return "100"


def run(args: argparse.Namespace) -> int:
    if missing_paths([args.file]):
        return 2
    try:
        at = parse_instant(args.at) if args.at else dt.datetime.now(dt.UTC).replace(microsecond=0)
    except BadInstant as error:
        print(f"dialplan: error: --at: {error}", file=sys.stderr)
        return 2
    try:
        prompt_time = prompt_timing(args.prompts)
    except ValueError as error:
        print(f"dialplan: error: --prompts: {error}", file=sys.stderr)
        return 2
    try:
        mocks = http_mocks(args.http)
    except ValueError as error:
        print(f"dialplan: error: --http: {error}", file=sys.stderr)
        return 2
    sources = Sources()
    build = build_file(args.file, sources)
    if build.plan is None:
        print(format_text(build.diagnostics, sources.texts))
        return 1
    plan = build.plan
    number = args.number or default_number(plan)
    caller = f"extension {args.extension}" if args.extension else args.caller
    print(f"calling {number} from {caller} at {at:%Y-%m-%d %H:%M} {at.tzinfo} "
          f"({args.file}, plan version {plan.version}); type help for commands")

    def place(when: dt.datetime) -> VirtualCall:
        call = VirtualCall(plan, number, args.extension or args.caller, when, prompt_time,
                           mocks, args.extension)
        call.start()
        return call

    Console(place, at, sys.stdout, echo=not sys.stdin.isatty()).run(sys.stdin)
    return 0
