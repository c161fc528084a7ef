"""URLs of `fetch`: the origin stays what the plan wrote, whatever the caller sends.

A `fetch` URL is a template, but only after its origin: `https://api.example.com/`
must be written literally, so the scheme, host and port are fixed at compile time.
Every variable is URL-quoted (nothing kept: `/`, `?`, `#`, `@` and `:` all become
`%XX`) before it is put into the path or query, so a caller number such as
`1@evil.example/` stays one path segment. Rendered URLs whose path walks up (`..`)
are refused too. `[serve] allowed_urls` then says which origins and path prefixes
the service may call; the runtime checks every URL (and every redirect) against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..templates import render

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])"
                     r"(?::(?P<port>[0-9]{1,5}))?(?=/|$)")


def origin_problem(template: str) -> str | None:
    """Why a `fetch` URL template cannot be used (None when it can): it needs a literal
    `http://` or `https://` origin with no user part, then a path."""
    match = _ORIGIN.match(template)
    if match is None:
        return ("it must start with a literal `http://` or `https://` host (and port), "
                "before any `{{ }}`")
    if match.end() == len(template):
        return "it needs a path after the host, at least `/`"
    return None


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, or None when it has no plain http(s) origin."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in SCHEMES or not parts.hostname or "@" in parts.netloc:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _walks_up(path: str) -> bool:
    return any(segment in (".", "..") for segment in unquote(path).split("/"))


def quoted(variables: Mapping[str, Any]) -> dict[str, str]:
    """Every value URL-quoted as one path segment or query value; `.` and `..` are
    quoted too, so a value cannot name a parent folder."""
    result = {}
    for name, value in variables.items():
        text = quote(str(value), safe="")
        result[name] = text.replace(".", "%2E") if text in (".", "..") else text
    return result


def render_url(template: str, variables: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The URL for this call, or None and why it was refused."""
    url, problem = render(template, quoted(variables))
    if problem:
        return None, f"url template failed: {problem}"
    origin = _origin(url)
    if origin is None or origin != _origin(template.split("{", 1)[0]):
        return None, f"refused url {url!r}: its origin differs from the plan's"
    if _walks_up(urlsplit(url).path):
        return None, f"refused url {url!r}: its path walks up with `..`"
    return url, None


def _prefix_holds(prefix: str, path: str) -> bool:
    prefix = prefix.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


def allowed(url: str, patterns: Iterable[str]) -> bool:
    """Whether `url` is under one of `patterns`: same scheme and host, the same port
    (`:*` in a pattern: any), and a path under the pattern's path (whole segments)."""
    origin = _origin(url)
    if origin is None:
        return False
    path = urlsplit(url).path or "/"
    if _walks_up(path):
        return False
    for pattern in patterns:
        any_port = ":*/" in pattern or pattern.endswith(":*")
        wanted = _origin(pattern.replace(":*", "", 1) if any_port else pattern)
        if wanted is None or wanted[:2] != origin[:2]:
            continue
        if (any_port or wanted[2] == origin[2]) and _prefix_holds(
                urlsplit(pattern.replace(":*", "", 1)).path, path):
            return True
    return False


def pattern_problem(pattern: str) -> str | None:
    """Why an `allowed_urls` entry is not usable (None when it is)."""
    if _origin(pattern.replace(":*", "", 1)) is None:
        return "must be an http:// or https:// URL (host, optional port or `:*`, path)"
    return None
