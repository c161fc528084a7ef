"""`dialplan test PATH...`: run scenario files (`*.test`) against their plans, offline,
or with `--live HOST:PORT` over real SIP against a running `dialplan serve`.

Exit codes: 0 every scenario passed (and coverage reached --fail-under), 1 a scenario
failed, a plan did not compile or coverage fell short, 2 usage error or a scenario
file that cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..plan import Plan
from ..scenarios.report import format_json_report, format_text_report
from ..scenarios.suite import run_suite
from ..scenarios.transform import ScenarioError
from ..sim.driver import Driver, VirtualDriver
from .common import missing_paths


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("test", help="run scenario tests (*.test) on a virtual call")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="scenario files, plans (their NAME.test) or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--coverage", action="store_true",
                        help="per flow: the percentage and every transition not taken")
    parser.add_argument("--fail-under", type=float, metavar="PERCENT", default=None,
                        help="fail when a plan's transition coverage is below PERCENT")
    parser.add_argument("--live", metavar="HOST:PORT",
                        help="call a running `dialplan serve` over real SIP instead")
    parser.add_argument("--admin", metavar="URL",
                        help="its admin endpoint (http://127.0.0.1:8089), to check what "
                             "the caller hears, states and variables")
    parser.add_argument("--admin-token", metavar="FILE", type=Path,
                        help="the file holding its operator token (the service's "
                             "var/admin/operator.token): traces hold callers' digits")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="live: scenarios of a file run N at a time (a service "
                             "process holds 4 calls)")
    parser.set_defaults(handler=run)


def _driver_for(args: argparse.Namespace) -> Callable[[Plan], Driver]:
    if not args.live:
        return VirtualDriver
    from dialplan.live.driver import LiveDriver  # spawns callers; needs the engine extra

    token = args.admin_token.read_text().strip() if args.admin_token else ""
    return lambda plan: LiveDriver(plan, args.live, args.admin, token)


def run(args: argparse.Namespace) -> int:
    if missing_paths(args.paths):
        return 2
    if (args.admin or args.jobs != 1) and not args.live:
        print("dialplan test: --admin and --jobs go with --live", file=sys.stderr)
        return 2
    if args.admin_token and not args.admin_token.is_file():
        print(f"dialplan test: --admin-token: {args.admin_token}: no such file",
              file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("dialplan test: --jobs must be at least 1", file=sys.stderr)
        return 2
    suite = run_suite(args.paths, _driver_for(args), args.jobs)
    if suite.errors:
        for error in suite.errors:
            print(_scenario_error(error), file=sys.stderr)
        return 2
    outcome = suite.outcome
    if args.format == "json":
        print(format_json_report(outcome))
    else:
        print(format_text_report(outcome, suite.texts, detail=args.coverage))
    short = args.fail_under is not None and (
        outcome.untested or any(plan.percent < args.fail_under for plan in outcome.coverage))
    if short and args.format == "text":
        print(f"coverage is below {args.fail_under:g}% for some plan", file=sys.stderr)
    return 1 if outcome.failed or short else 0


def _scenario_error(error: ScenarioError) -> str:
    """`file:line:col: error: message`, then the line and a caret under the column."""
    out = [f"{error.pos}: error: {error.message}"]
    try:
        lines = Path(error.pos.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return out[0]
    if 1 <= error.pos.line <= len(lines):
        gutter = " " * len(str(error.pos.line))
        out += [f"{gutter} |", f"{error.pos.line} | {lines[error.pos.line - 1]}",
                f"{gutter} | {' ' * (error.pos.column - 1)}^"]
    return "\n".join(out)
