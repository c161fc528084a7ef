"""`dialplan`: the command line. Each subcommand lives in its own module.

Exit codes, as ruff's: 0 clean, 1 problems found, 2 usage or I/O error. No input of
any kind yields a traceback: an unexpected internal error is reported as such, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import db, fmt, graph, lint, lsp, prompts, proxy, serve, show, simulate, speech, test, users

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialplan", description="Declarative IVR/PBX dialplans: check, inspect, run.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lint.add_parser(commands)
    show.add_parser(commands)
    prompts.add_parser(commands)
    speech.add_parser(commands)
    serve.add_parser(commands)
    proxy.add_parser(commands)
    fmt.add_parser(commands)
    graph.add_parser(commands)
    simulate.add_parser(commands)
    test.add_parser(commands)
    lsp.add_parser(commands)
    users.add_parser(commands)
    db.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        return 0
    except Exception as error:
        print(f"dialplan: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    sys.exit(main())
