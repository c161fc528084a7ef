"""`dialplan lint PATH...`: compiler errors plus lint rules, as text, JSON, GitHub or SARIF.

Exit codes: 0 nothing at warning level or above, 1 errors or warnings found, 2 usage,
configuration or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..build import build_paths
from ..diagnostics import Diagnostic, Severity
from ..lint.config import ConfigError, LintConfig, find_config, load_config
from ..lint.explain import explain
from ..lint.formats import format_github, format_sarif
from ..lint.run import lint
from ..loader import Sources
from ..render import format_json, format_text
from .common import missing_paths

FORMATS = ("text", "json", "github", "sarif")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("lint", help="check dialplan files for mistakes")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--no-source", action="store_true",
                        help="one line per problem, without the quoted source")
    parser.add_argument("--statistics", action="store_true", help="count problems per code")
    parser.add_argument("--explain", metavar="CODE", help="what a rule checks and why")
    parser.add_argument("--config", metavar="FILE", help="default: the nearest dialplan.toml")
    parser.add_argument("--select", metavar="CODES", help="comma-separated code prefixes")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated code prefixes")
    parser.set_defaults(handler=run)


def _config(args: argparse.Namespace) -> LintConfig:
    path = Path(args.config) if args.config else find_config(Path(args.paths[0]))
    config = load_config(path)
    if args.select:
        config.select = tuple(c.strip() for c in args.select.split(","))
    if args.ignore:
        config.ignore = (*config.ignore, *(c.strip() for c in args.ignore.split(",")))
    return config


def run(args: argparse.Namespace) -> int:
    if args.explain:
        text = explain(args.explain)
        print(text or f"dialplan: error: unknown code {args.explain}", file=sys.stdout
              if text else sys.stderr)
        return 0 if text else 2
    if not args.paths:
        print("dialplan: error: lint needs at least one PATH", file=sys.stderr)
        return 2
    if missing_paths(args.paths):
        return 2
    try:
        config = _config(args)
    except ConfigError as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return 2
    sources = Sources()
    diagnostics = lint(build_paths(args.paths, sources), config, sources.texts)
    _print(args, diagnostics, sources)
    failing = [d for d in diagnostics if d.severity is not Severity.INFO]
    return 1 if failing else 0


def _print(args: argparse.Namespace, diagnostics: list[Diagnostic], sources: Sources) -> None:
    if args.format == "json":
        print(format_json(diagnostics))
    elif args.format == "github":
        if diagnostics:
            print(format_github(diagnostics))
    elif args.format == "sarif":
        print(format_sarif(diagnostics))
    elif diagnostics:
        print(format_text(diagnostics, sources.texts, show_source=not args.no_source))
    if args.statistics:
        for code, count in sorted(Counter(d.code for d in diagnostics).items()):
            print(f"{count:5}  {code}", file=sys.stderr)
    if args.format == "text":
        _summary(diagnostics, len(sources.texts))


def _summary(diagnostics: list[Diagnostic], files: int) -> None:
    if not diagnostics:
        print(f"All checks passed: {files} file(s).", file=sys.stderr)
        return
    counts = Counter(d.severity.value for d in diagnostics)
    parts = ", ".join(f"{counts[s]} {s}(s)" for s in ("error", "warning", "info") if counts[s])
    print(f"\nFound {len(diagnostics)} problem(s) ({parts}) in {files} file(s).",
          file=sys.stderr)
