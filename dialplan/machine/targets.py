"""Dial and transfer targets: templates rendered per call, then checked.

A target may use call variables (`sip:{{ ext }}@pbx.example`), which can come from
the caller (digits, speech). The rendered text must be a plain extension or a SIP URI
whose user part holds only dialable characters, so caller input cannot add URI
parameters, headers or another host.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..templates import render

_EXTENSION = re.compile(r"[0-9*#+]{1,32}")
_SIP_URI = re.compile(
    r"sips?:(?P<user>[A-Za-z0-9*#+._~-]{1,64})@(?P<host>[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?"
    r"(;transport=(udp|tcp|tls))?"
)


def resolve_target(template: str, variables: Mapping[str, Any], extension: bool = False
                   ) -> tuple[str | None, str | None]:
    """The rendered target, or None and the reason it was refused; with `extension`
    (`dial extension`) only an extension number will do."""
    text, problem = render(template, variables)
    if problem:
        return None, f"target template failed: {problem}"
    text = text.strip()
    if _EXTENSION.fullmatch(text) or (not extension and _SIP_URI.fullmatch(text)):
        return text, None
    wanted = "an extension number" if extension else "an extension or a plain SIP URI"
    return None, f"refused target {text!r}: not {wanted}"
