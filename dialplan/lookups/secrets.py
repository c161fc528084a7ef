"""Secrets in `fetch` headers: `$NAME` or `${NAME}`, read from the service's environment
when the request is made. The plan names a secret and never holds it; the machine, the
call log and traces only ever see the name. Header values are literal text in the plan
(no `{{ }}`), so no caller value can spell `$NAME` and read another secret."""

from __future__ import annotations

import re
from collections.abc import Mapping

_SECRET = re.compile(r"\$(?:\{(?P<braced>[A-Z_][A-Z0-9_]*)\}|(?P<bare>[A-Z_][A-Z0-9_]*))")


def secret_names(text: str) -> list[str]:
    return [m.group("braced") or m.group("bare") for m in _SECRET.finditer(text)]


def fill_secrets(text: str, environ: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """`text` with every secret filled in, or None and the names that are not set."""
    missing = [name for name in secret_names(text) if name not in environ]
    if missing:
        return None, missing
    return _SECRET.sub(lambda m: environ[m.group("braced") or m.group("bare")], text), []
