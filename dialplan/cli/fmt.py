"""`dialplan fmt [--check] [--diff] PATH...`: rewrite dialplan files in the canonical layout.

Exit codes: 0 nothing to do (or everything rewritten), 1 a file would change under
`--check`/`--diff` or has syntax errors (reported, file untouched), 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..fmt import FormatError
from ..fmt.files import FileResult, format_file, write_atomically
from ..loader import expand
from ..render import format_text
from .common import missing_paths


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("fmt", help="rewrite dialplan files in the canonical layout")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any file would change")
    parser.add_argument("--diff", action="store_true",
                        help="write nothing; print what would change as a unified diff")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if missing_paths(args.paths):
        return 2
    dry_run = args.check or args.diff
    status = 0
    counts = {"changed": 0, "unchanged": 0, "failed": 0}
    for path in expand(args.paths):
        status = max(status, _one(path, args, dry_run, counts))
    verb = "would reformat" if dry_run else "reformatted"
    failed = f", {counts['failed']} not formatted" if counts["failed"] else ""
    print(f"{counts['changed']} file(s) {verb}, {counts['unchanged']} left unchanged{failed}.",
          file=sys.stderr)
    return status


def _one(path: str, args: argparse.Namespace, dry_run: bool, counts: dict[str, int]) -> int:
    try:
        result = format_file(path)
    except FormatError as error:
        counts["failed"] += 1
        print(f"dialplan fmt: internal error, file left unchanged: {error}", file=sys.stderr)
        return 2
    if result.io_error is not None or result.after is None:
        counts["failed"] += 1
    if result.io_error is not None:
        print(f"dialplan: error: {path}: {result.io_error}", file=sys.stderr)
        return 2
    if result.after is None:
        print(format_text(result.diagnostics, {path: result.before}))
        return 1
    counts["changed" if result.changed else "unchanged"] += 1
    if not result.changed:
        return 0
    return _report_change(result, args, dry_run)


def _report_change(result: FileResult, args: argparse.Namespace, dry_run: bool) -> int:
    if args.diff:
        sys.stdout.write(result.diff())
    if args.check:
        print(f"would reformat {result.path}")
    if dry_run:
        return 1
    try:
        write_atomically(result.path, result.after or "")
    except OSError as error:
        print(f"dialplan: error: {result.path}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0
