"""`dialplan lsp`: the language server, speaking LSP over stdin and stdout.

Editors start it themselves (docs/editors.md); it checks the unsaved text as `dialplan
lint` checks files, and serves completion, hover, navigation, rename and formatting.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("lsp", help="run the language server on stdin/stdout")
    parser.add_argument("--stdio", action="store_true",
                        help="accepted for editors that pass it; stdio is the only transport")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..lsp.server import create_server, tune_interpreter  # pygls: only for this command

    server = create_server()
    tune_interpreter()
    server.start_io()
    return 0
