"""Where calls may go: the dialplan names its targets, the service's configuration may
narrow them further (`allowed_targets` globs). A bare extension is dialled on the
service's own host."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable

from dialplan.config import ServeConfig


def to_uri(target: str, config: ServeConfig) -> str:
    if target.startswith(("sip:", "sips:")):
        return target
    return f"sip:{target}@{config.bind}:{config.sip_port}"


def extension_uri(extension: str, registrar: str) -> str:
    """Where `dial extension` rings `extension` (already checked to be a number): the
    registrar (host:port), which forks to every device registered for it."""
    return f"sip:{extension}@{registrar}"


def allowed(uri: str, config: ServeConfig) -> bool:
    if config.allowed_targets is None:
        return True
    return any(fnmatch.fnmatchcase(uri, glob) for glob in config.allowed_targets)


_NAME_ADDR = re.compile(r"<([^<>]*)>")
REFER_ACCEPTED, REFER_FORBIDDEN = 202, 403


def refer_rule(config: ServeConfig) -> Callable[[str], int]:
    """What a caller's REFER gets when the plan accepts them (`defaults allow_refer
    true`): 202 if its target passes the same `allowed_targets` check as a `transfer`
    or `dial`, else 403. A Refer-To with URI headers (Replaces...) is refused too.
    Runs on the engine's SIP thread: pure, reads only the frozen config."""

    def rule(refer_to: str) -> int:
        match = _NAME_ADDR.search(refer_to)
        uri = (match.group(1) if match else refer_to).strip()
        if "?" in uri or not uri.startswith(("sip:", "sips:")):
            return REFER_FORBIDDEN
        return REFER_ACCEPTED if allowed(uri, config) else REFER_FORBIDDEN

    return rule
