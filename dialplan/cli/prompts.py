"""`dialplan prompts render PATH...`: synthesize every fixed prompt of the plans into the
shared cache, so the first call never waits for speech synthesis. `dialplan prompts
words LANGUAGE`: the recordings said values can play from (with `--missing DIR`, those
not recorded yet)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from babel.numbers import is_currency

from ..build import build_paths
from ..loader import Sources
from ..prompts.cache import PromptCache
from ..prompts.warm import warm
from ..prompts.words import missing, needed
from ..render import format_text
from ..wording.languages import canonical
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
    words = actions.add_parser("words", help="the recordings said values can be played from")
    words.add_argument("language")
    words.add_argument("--currency", action="append", default=[], metavar="CODE",
                       help="also the words of amounts in this currency (repeatable)")
    words.add_argument("--missing", type=Path, metavar="DIR",
                       help="list only those not under DIR/<language>/ (exit 1 if any)")
    words.set_defaults(handler=run_words)


def run_words(args: argparse.Namespace) -> int:
    if canonical(args.language) is None:
        print(f"unsupported language {args.language!r}", file=sys.stderr)
        return 2
    if any(not is_currency(code.upper()) for code in args.currency):
        print(f"unknown currency in {args.currency}", file=sys.stderr)
        return 2
    names = needed(canonical(args.language) or "", [c.upper() for c in args.currency])
    if args.missing is not None:
        names = missing(names, [args.missing], args.language)
    print("\n".join(names))
    return 1 if args.missing is not None and names else 0


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
