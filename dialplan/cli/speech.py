"""`dialplan speech serve`: run the host's speech recognition service."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tomllib
from pathlib import Path
from typing import Any

from ..lint.config import find_config
from ..speech.model import ModelMissing, bundled_korean_model

DEFAULT_SOCKET = Path("var/speech.sock")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("speech", help="speech recognition")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = actions.add_parser("serve", help="load the model once and serve recognition")
    serve.add_argument("--model", type=Path, help="vosk model folder (default: [speech] "
                       "model in dialplan.toml, else the bundled Korean model if installed)")
    serve.add_argument("--socket", type=Path, help=f"default: [speech] socket, else "
                       f"{DEFAULT_SOCKET}")
    serve.add_argument("--config", type=Path, help="default: the nearest dialplan.toml")
    serve.set_defaults(handler=run_serve)


def _configured(args: argparse.Namespace) -> tuple[Path | None, Path]:
    """Model and socket: the command line, else `[speech]` of the config, else defaults."""
    path = args.config or find_config(Path.cwd())
    table: dict[str, str] = {}
    if path is not None:
        try:
            table = tomllib.loads(path.read_text()).get("speech", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            print(f"dialplan: error: {path}: {error}", file=sys.stderr)
    base = path.parent if path is not None else Path.cwd()
    model = args.model or (base / table["model"] if "model" in table else None)
    socket = args.socket or (base / table["socket"] if "socket" in table else DEFAULT_SOCKET)
    return model or bundled_korean_model(), socket


def run_serve(args: argparse.Namespace) -> int:
    from ..speech.service import SpeechService

    model, args.socket = _configured(args)
    if model is None:
        print("dialplan: error: no --model given and no bundled model installed",
              file=sys.stderr)
        return 2
    try:
        service = SpeechService(model, args.socket)
    except ModelMissing as error:
        print(f"dialplan: error: {error}", file=sys.stderr)
        return 2
    args.socket.parent.mkdir(parents=True, exist_ok=True)
    print(f"speech service ready on {args.socket}", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(service.serve())
    return 0
