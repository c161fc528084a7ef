"""Helpers shared by subcommands: checking that the paths named exist."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def missing_paths(paths: Sequence[str]) -> list[str]:
    missing = [path for path in paths if not os.path.exists(path)]
    for path in missing:
        print(f"dialplan: error: {path}: no such file or directory", file=sys.stderr)
    return missing
