"""`dialplan db upgrade`: the project's database (the directory of extensions, and
Kamailio's tables in it) brought to the newest schema. `serve` and `users` do this
themselves at start; this is for a database prepared ahead, or shared by hosts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .users import location_options


def add_parser(commands: Any) -> None:
    database = commands.add_parser("db", help="the project's database: upgrade its schema")
    verbs = database.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("upgrade", parents=[location_options()], help="make or upgrade the schema")
    database.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from dialplan.config import ServeConfigError
    from dialplan.directory import load_directory_config, make_engine, upgrade
    from dialplan.directory.migrate import current
    from dialplan.lint.config import find_config

    try:
        config = load_directory_config(args.config or find_config(args.plans), args.plans)
        upgrade(config.url)
        engine = make_engine(config.url)
        try:
            revision = current(engine)
        finally:
            engine.dispose()
    except (ServeConfigError, ValueError, sa.exc.SQLAlchemyError) as error:
        print(f"dialplan: error: the database: {error}", file=sys.stderr)
        return 2
    print(f"database at revision {revision}: {sa.make_url(config.url).render_as_string()}")
    return 0
