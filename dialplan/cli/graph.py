"""`dialplan graph FILE [-o out.svg|out.dot|out.mmd]`: draw the compiled flow.

DOT on stdout by default; the output's suffix (or `--format`) picks DOT, Mermaid or SVG.
Exit codes: 0 drawn, 1 the plan has errors (reported), 2 usage, I/O or Graphviz error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..build import build_file
from ..graph import GraphvizError, build_graph, render_svg, to_dot, to_mermaid
from ..loader import Sources
from ..render import format_text
from .common import missing_paths

SUFFIXES = {".dot": "dot", ".gv": "dot", ".mmd": "mmd", ".svg": "svg"}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("graph", help="draw a plan's flow (DOT, Mermaid or SVG)")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="write here; .svg (needs Graphviz), .dot or .mmd")
    parser.add_argument("--format", choices=("dot", "mmd", "svg"),
                        help="the output format when the suffix does not say it")
    parser.set_defaults(handler=run)


def _format(args: argparse.Namespace) -> str | None:
    if args.format:
        return str(args.format)
    if args.output is None:
        return "dot"
    return SUFFIXES.get(Path(args.output).suffix.lower())


def run(args: argparse.Namespace) -> int:
    kind = _format(args)
    if kind is None:
        print(f"dialplan graph: error: cannot tell the format of {args.output}: "
              f"use {', '.join(SUFFIXES)} or --format", file=sys.stderr)
        return 2
    if missing_paths([args.file]):
        return 2
    sources = Sources()
    build = build_file(args.file, sources)
    if build.plan is None:
        print(format_text(build.diagnostics, sources.texts))
        return 1
    graph = build_graph(build.plan)
    try:
        text = to_mermaid(graph) if kind == "mmd" else to_dot(graph)
        if kind == "svg":
            text = render_svg(text)
    except GraphvizError as error:
        print(f"dialplan graph: error: {error}", file=sys.stderr)
        return 2
    return _write(text, args.output)


def _write(text: str, output: str | None) -> int:
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"dialplan: error: {output}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0
