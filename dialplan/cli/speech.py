"""`dialplan speech serve`: run the host's speech recognition service."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from ..speech.model import ModelMissing, bundled_korean_model

DEFAULT_SOCKET = Path("var/speech.sock")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("speech", help="speech recognition")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = actions.add_parser("serve", help="load the model once and serve recognition")
    serve.add_argument("--model", type=Path, help="vosk model folder "
                       "(default: the bundled Korean model, if installed)")
    serve.add_argument("--socket", type=Path, default=DEFAULT_SOCKET)
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from ..speech.service import SpeechService

    model = args.model or bundled_korean_model()
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
