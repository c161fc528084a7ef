"""Where calls may go: the dialplan names its targets, the service's configuration may
narrow them further (`allowed_targets` globs). A bare extension is dialled on the
service's own host."""

from __future__ import annotations

import fnmatch

from .config import ServeConfig


def to_uri(target: str, config: ServeConfig) -> str:
    if target.startswith(("sip:", "sips:")):
        return target
    return f"sip:{target}@{config.bind}:{config.sip_port}"


def allowed(uri: str, config: ServeConfig) -> bool:
    if config.allowed_targets is None:
        return True
    return any(fnmatch.fnmatchcase(uri, glob) for glob in config.allowed_targets)
