"""`dialplan serve DIR`: answer SIP calls with the plans in DIR, reloading on change."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the plans in DIR on real SIP calls")
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--sip-port", type=int)
    parser.add_argument("--bind")
    parser.add_argument("--config", type=Path, help="TOML file with a [serve] table "
                        "(default: DIR's nearest dialplan.toml)")
    parser.add_argument("--admin-port", type=int)
    parser.add_argument("--media-ports", metavar="LOW-HIGH")
    parser.add_argument("--processes", type=_processes, default=0, metavar="N",
                        help="run N engine processes behind Kamailio on the SIP port "
                        "(each holds 4 calls); `auto`: as many as this host's cores "
                        "carry; 0: one process, no proxy")
    parser.add_argument("--proxy", choices=("kamailio", "none"), default="kamailio",
                        help="with --processes: start Kamailio in front (default), or "
                        "none: the workers only, for `dialplan proxy` on another host")
    parser.add_argument("--proxy-control", metavar="unix:PATH|tcp:HOST:PORT",
                        help="with --proxy none: the proxy's control address (`dialplan "
                        "proxy --control`), to take processes out of rotation before "
                        "a planned restart")
    parser.add_argument("--tls-port", type=int, metavar="PORT", help="with --processes: "
                        "SIP over TLS on the proxy (overrides [proxy] tls_port)")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--at", metavar="WHEN", help="pretend the clock starts at WHEN, e.g. "
                        '"2026-12-24 09:30 Europe/Berlin" (for trying schedules)')
    parser.set_defaults(handler=run)


def _processes(text: str) -> int:
    if text == "auto":
        from dialplan.pool.workers import auto_processes

        return auto_processes()
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number or `auto`") from None
    if count < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return count


def quiet_log_records() -> None:
    """Serve's log format (set in `run`) names no thread, process or source line, so
    no record gathers them: the logging docs' own optimisation, about 8 of the 20 us a
    call-log line costs. Output unchanged."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # documented: records skip findCaller


def run(args: argparse.Namespace) -> int:
    from dialplan.config import ServeConfigError, load_serve_config
    from dialplan.directory import load_directory_config
    from dialplan.proxy.edge import registrar_options
    from dialplan.proxy.options import load_proxy_options

    from ..lint.config import find_config

    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_log_records()
    if not args.folder.is_dir():
        print(f"dialplan: error: {args.folder}: not a folder", file=sys.stderr)
        return 2
    path = args.config or find_config(args.folder)
    try:
        config = load_serve_config(path, args.folder)
        proxy = load_proxy_options(path)
        directory = _directory(path, args.folder)
        proxy = registrar_options(proxy, load_directory_config(path, args.folder), directory)
    except (ServeConfigError, ValueError) as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return 2
    try:
        return _serve(args, config, proxy, directory)
    finally:
        directory.close()


def _directory(path: Path | None, folder: Path) -> Any:
    """The directory of extensions, its schema upgraded (a ValueError if unusable)."""
    import sqlalchemy as sa

    from dialplan.directory import load_directory_config, open_configured

    try:
        return open_configured(load_directory_config(path, folder))
    except sa.exc.SQLAlchemyError as error:
        raise ValueError(f"the directory's database: {error}") from error


def _serve(args: argparse.Namespace, config: Any, proxy: Any, directory: Any) -> int:
    from ..clock import parse_instant

    ports = tuple(int(p) for p in args.media_ports.split("-")) if args.media_ports else None
    config = config.with_overrides(sip_port=args.sip_port, bind=args.bind,
                                   admin_port=args.admin_port, media_ports=ports)
    start = None
    if args.at:
        try:
            start = parse_instant(args.at)
        except ValueError as error:
            print(f"dialplan: error: --at: {error}", file=sys.stderr)
            return 2
    if (proxy.registrar is not None or proxy.trunks) and not args.processes:
        args.processes = 1  # extensions register with Kamailio, trunks go through it
    if args.processes:
        return _pool(args, config, proxy, directory)
    from dialplan.runtime.admin_tokens import AdminTokenError
    from dialplan.runtime.run import run_service
    from dialplan.runtime.service import PlansBroken

    try:
        return asyncio.run(run_service(args.folder, config, start, directory=directory))
    except PlansBroken as error:
        print(error.report, file=sys.stderr)
        return 1
    except AdminTokenError as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return 2


def _pool(args: argparse.Namespace, config: Any, proxy: Any, directory: Any) -> int:
    from dialplan.runtime.metrics_dir import use_metrics_dir

    workdir = Path(tempfile.mkdtemp(prefix="dialplan-pool-"))
    use_metrics_dir(workdir / "metrics")  # before anything imports prometheus_client
    from dialplan.pool.supervisor import Pool

    if args.tls_port is not None:
        proxy = dataclasses.replace(proxy, tls_port=args.tls_port)
    code = Pool(args.folder, config, args.processes, workdir,
                with_proxy=args.proxy == "kamailio", proxy_control=args.proxy_control,
                proxy_options=proxy, directory=directory).run()
    if code == 0:  # kept after a failure: the Kamailio log and configuration are there
        shutil.rmtree(workdir, ignore_errors=True)
    return code
