"""`dialplan proxy`: Kamailio in front of engine processes on one or several hosts.

    dialplan proxy --listen 127.0.0.1:5060 --to 127.0.0.2:5061-5064 --to 127.0.0.3:5061-5064
    dialplan proxy ... --control tcp:10.0.0.1:2049  # pools may take processes out of rotation
    dialplan proxy ... --write DIR      # only write kamailio.cfg and dispatcher.list

The processes behind it come from `dialplan serve --processes N --proxy none` on each
host (with `--proxy-control` naming the control address, so a planned restart takes a
process out of rotation first). It runs Kamailio in the foreground until SIGTERM.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dialplan.proxy.kamailio import ProxySettings
    from dialplan.trunks.refresh import TrunkRefresh
from typing import Any


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("proxy", help="run Kamailio in front of engine processes "
                                 "on one or several hosts")
    parser.add_argument("--listen", default="127.0.0.1:5060", metavar="HOST:PORT")
    parser.add_argument("--to", action="append", required=True, metavar="HOST:LOW-HIGH",
                        help="engine processes to dispatch to (repeat for each host)")
    parser.add_argument("--failover", type=int, default=2, choices=(0, 1, 2),
                        help="other processes tried after a refusal (default 2)")
    parser.add_argument("--control", metavar="unix:PATH|tcp:HOST:PORT",
                        help="Kamailio's control socket, for pools that take their "
                        "processes out of rotation before a planned restart "
                        "(`dialplan serve --proxy-control`)")
    parser.add_argument("--config", type=Path, help="TOML file whose [proxy] table sets "
                        "the flood limit, the longest call and TLS (docs/serve.md)")
    parser.add_argument("--tls-port", type=int, metavar="PORT",
                        help="SIP over TLS on this port (overrides [proxy] tls_port)")
    parser.add_argument("--write", type=Path, metavar="DIR", help="write the "
                        "configuration into DIR and exit, for a Kamailio run elsewhere")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dialplan.config import ServeConfigError
    from dialplan.proxy.edge import DirectoryUnavailable, with_registrar
    from dialplan.proxy.kamailio import ProxySettings, expand_destinations, write_files
    from dialplan.proxy.options import load_proxy_options
    from dialplan.proxy.process import start_proxy, stop_proxy
    from dialplan.proxy.tls import with_certificate

    try:
        host, _, port = args.listen.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"--listen {args.listen!r} is not HOST:PORT")
        destinations = tuple(d for spec in args.to for d in expand_destinations(spec))
        options = with_registrar(load_proxy_options(args.config), args.config).settings()
        if args.tls_port:
            options["tls_port"] = args.tls_port
    except (ValueError, ServeConfigError, DirectoryUnavailable) as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return 2
    folder = args.write or Path(tempfile.mkdtemp(prefix="dialplan-proxy-"))
    settings = ProxySettings(host, int(port), destinations, folder.resolve() /
                             "dispatcher.list", failover=args.failover,
                             control=args.control, **options)
    if args.write:
        path = write_files(with_certificate(settings, folder.resolve()), folder.resolve())
        print(f"wrote {path} and {settings.list_file}\nrun: kamailio -DD -E -f {path}")
        return 0
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    process = start_proxy(settings, folder)
    print(f"ready: proxy {host}:{port} -> {len(destinations)} processes "
          f"(log: {folder / 'kamailio.log'})", flush=True)
    refresh = trunk_refresh(settings)
    while not stop.wait(0.5):
        if refresh is not None:
            refresh.step()  # a trunk's password file that appeared, changed or went
        if process.poll() is not None:
            print(f"dialplan: error: kamailio exited with {process.returncode}; see "
                  f"{folder / 'kamailio.log'}", file=sys.stderr)
            return 1
    stop_proxy(process, settings.stop_timeout)
    if not args.write:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def trunk_refresh(settings: ProxySettings) -> TrunkRefresh | None:
    """The trunks' passwords read again while the proxy runs: only through its control
    socket (`--control`), which Kamailio reloads their tables through."""
    from dialplan.proxy.control import ProxyControl
    from dialplan.proxy.kamailio import trunk_contact, trunk_folder
    from dialplan.trunks.refresh import TrunkRefresh

    if not settings.trunks or not settings.control:
        return None
    return TrunkRefresh(settings.trunks, trunk_folder(settings), trunk_contact(settings),
                        ProxyControl(settings.control).reload_trunks)
