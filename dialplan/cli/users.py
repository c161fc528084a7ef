"""`dialplan users add|list|set|remove`: the directory of extensions from the shell.

A password never appears on the command line (where `ps` and shell history would keep
it): `--password-stdin` reads it (hidden, at a terminal), or one is generated and
printed once; only its digests are stored. The database is the one `dialplan serve`
uses for the same folder: `[directory]` of the nearest dialplan.toml, else
var/dialplan.db beside the plans (`--plans`, default the current folder). The schema is
brought up to date first.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

EXIT_REFUSED, EXIT_USAGE = 1, 2


def location_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="TOML file with a [directory] table "
                        "(default: the nearest dialplan.toml)")
    common.add_argument("--plans", type=Path, default=Path("."), metavar="DIR",
                        help="the plans folder `dialplan serve` runs (default: .)")
    return common


def _fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", dest="display_name", help="display name")
    parser.add_argument("--caller-id", help="outbound caller ID (digits, optional +)")
    parser.add_argument("--voicemail", metavar="BOX", help="its voicemail box")
    parser.add_argument("--max-contacts", type=int, metavar="N",
                        help="devices it may register at once (default 1)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from stdin (else one is generated)")


def add_parser(commands: Any) -> None:
    users = commands.add_parser("users", help="extensions: add, list, set, remove")
    verbs = users.add_subparsers(dest="verb", required=True, metavar="VERB")
    common = location_options()
    add = verbs.add_parser("add", parents=[common], help="add an extension")
    add.add_argument("number")
    _fields(add)
    add.add_argument("--disabled", action="store_true", help="add it disabled")
    listing = verbs.add_parser("list", parents=[common], help="list the extensions")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    change = verbs.add_parser("set", parents=[common], help="change an extension")
    change.add_argument("number")
    _fields(change)
    change.add_argument("--generate-password", action="store_true",
                        help="a new generated password, printed once")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--enable", dest="enabled", action="store_const", const=True)
    state.add_argument("--disable", dest="enabled", action="store_const", const=False)
    remove = verbs.add_parser("remove", parents=[common], help="remove an extension")
    remove.add_argument("number")
    users.set_defaults(handler=run)


def open_from(args: argparse.Namespace) -> tuple[Any, bool]:
    """The directory of the folder's configuration, migrated (errors as exceptions), and
    whether dialplan.toml declares it (then the service is its registrar from the
    start: proxy/edge.py)."""
    from dialplan.directory import load_directory_config, open_configured
    from dialplan.lint.config import find_config

    config = load_directory_config(args.config or find_config(args.plans), args.plans)
    return open_configured(config), config.declared


RESTART_NOTE = ("dialplan: note: {number} is the first extension of a directory that "
                "dialplan.toml does not declare: a `dialplan serve` already running on "
                "these plans lets phones register only after a restart (add a [directory] "
                "table to dialplan.toml to have it register them from its first start)")


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _password(args: argparse.Namespace, generate: bool) -> tuple[str | None, bool]:
    """(password, generated) as the options ask."""
    from dialplan.directory.digest import generate_password

    if args.password_stdin:
        return _read_password(), False
    return (generate_password(), True) if generate else (None, False)


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    names = ("display_name", "caller_id", "voicemail", "max_contacts", "enabled")
    return {name: getattr(args, name) for name in names
            if getattr(args, name, None) is not None}


def _print_list(extensions: list[Any], form: str) -> None:
    if form == "json":
        print(json.dumps([e.as_json() for e in extensions], indent=2))
        return
    print(f"{'NUMBER':<12} {'NAME':<24} {'ENABLED':<8} {'MAX':>3}  {'CALLER ID':<16} "
          "VOICEMAIL")
    for e in extensions:
        print(f"{e.number:<12} {e.display_name:<24} {'yes' if e.enabled else 'no':<8} "
              f"{e.max_contacts:>3}  {e.caller_id or '-':<16} {e.voicemail or '-'}")


def _perform(args: argparse.Namespace, directory: Any, declared: bool) -> None:
    from dialplan.directory import Extension

    if args.verb == "list":
        _print_list(directory.list(), args.format)
        for number in directory.other_realm():
            print(f"dialplan: warning: {number}: its digest is of another realm than "
                  f"{directory.realm!r}; set its password again", file=sys.stderr)
        return
    if args.verb == "remove":
        directory.remove(args.number)
        print(f"removed extension {args.number}")
        return
    password, generated = _password(args, args.verb == "add" or args.generate_password)
    if args.verb == "add":
        fields = _changes(args) | {"enabled": not args.disabled}
        first = directory.is_empty()
        directory.add(Extension(args.number, **fields), password)
        print(f"added extension {args.number} to {directory.engine.url.render_as_string()}")
        if first and not declared:
            print(RESTART_NOTE.format(number=args.number), file=sys.stderr)
    else:
        directory.set(args.number, password=password, **_changes(args))
        print(f"changed extension {args.number}")
    if generated:
        print(f"password: {password}  (shown once: only its digest is kept)")


def run(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from dialplan.config import ServeConfigError
    from dialplan.directory import DirectoryError

    try:
        directory, declared = open_from(args)
    except (ServeConfigError, ValueError, sa.exc.SQLAlchemyError) as error:
        print(f"dialplan: error: the directory: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        _perform(args, directory, declared)
    except (DirectoryError, ValueError) as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except sa.exc.SQLAlchemyError as error:
        print(f"dialplan: error: the directory: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        directory.close()
    return 0
