"""`dialplan prompts render PATH...`: synthesize every fixed prompt of the plans into the
shared cache, so the first call never waits for speech synthesis."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..build import build_paths
from ..loader import Sources
from ..prompts.cache import PromptCache
from ..prompts.warm import warm
from ..render import format_text
from .common import missing_paths

DEFAULT_CACHE = Path("var/prompt-cache")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("prompts", help="work with spoken and recorded prompts")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    render = actions.add_parser("render", help="warm the prompt cache for plans")
    render.add_argument("paths", nargs="+", metavar="PATH")
    render.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"cache folder (default {DEFAULT_CACHE})")
    render.set_defaults(handler=run_render)


def run_render(args: argparse.Namespace) -> int:
    if missing_paths(args.paths):
        return 2
    sources = Sources()
    builds = build_paths(args.paths, sources)
    broken = [d for b in builds for d in b.diagnostics if d.is_error]
    if broken:
        print(format_text(broken, sources.texts))
        return 1
    cache = PromptCache(args.cache)
    rendered = cached = 0
    for build in builds:
        assert build.plan is not None
        new, old = warm(build.plan, cache)
        rendered, cached = rendered + new, cached + old
    print(f"{rendered} prompt(s) rendered, {cached} already cached, in {args.cache}",
          file=sys.stderr)
    return 0
