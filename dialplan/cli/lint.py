"""`dialplan lint PATH...`: every diagnostic of every root file, as text or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..build import build_paths
from ..loader import Sources
from ..render import format_json, format_text
from .common import missing_paths


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("lint", help="check dialplan files for mistakes")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--no-source", action="store_true",
                        help="one line per problem, without the quoted source")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if missing_paths(args.paths):
        return 2
    sources = Sources()
    builds = build_paths(args.paths, sources)
    diagnostics = sorted({d for build in builds for d in build.diagnostics})
    if args.format == "json":
        print(format_json(diagnostics))
    elif diagnostics:
        print(format_text(diagnostics, sources.texts, show_source=not args.no_source))
        errors = sum(d.is_error for d in diagnostics)
        print(f"\nFound {len(diagnostics)} problem(s) ({errors} error(s)) "
              f"in {len(sources.texts)} file(s).", file=sys.stderr)
    else:
        print(f"All checks passed: {len(sources.texts)} file(s), {len(builds)} plan(s).",
              file=sys.stderr)
    return 1 if diagnostics else 0
