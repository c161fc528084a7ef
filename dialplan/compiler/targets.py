"""What a transfer or dial target may say, checked where the plan author wrote it.

A target is a template (`sip:{{ ext }}@pbx`) whose rendered form the machine checks on
every call (machine/targets.py): an extension, or `sip:`/`sips:` user@host[:port],
optionally `;transport=udp|tcp|tls`, nothing else. Whatever the author wrote literally
is known now, so a target that can never be called is a compile error (E417) instead of
a `failed` branch on a live call:

- a target without template parts is checked whole, by the same rule;
- in a templated one, only the literal text: the scheme, when the target starts with
  literal text up to its `:`, and any `;` parameter or `?` header written into it. A
  template part can render to anything, so `{{ target }}` alone passes here and is
  checked when a call renders it.

URI parameters are refused unless the plan opts in with `defaults target_parameters
true`, and even then only `;transport=`, the one the engine sends; URI headers never
(they would let a target add headers, such as `Replaces`, to the request).
"""

from __future__ import annotations

import re

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_EXTENSION = re.compile(r"[0-9*#+]{1,32}")
_PLAIN_URI = re.compile(r"sips?:[A-Za-z0-9*#+._~-]{1,64}@[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")
_TRANSPORT = re.compile(r";transport=(udp|tcp|tls)")
_SCHEME = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")

OPT_IN = "`defaults target_parameters true`"


def target_problem(target: str, parameters: bool) -> str | None:
    """Why `target` can never be called, or None; `parameters`: the plan's opt-in."""
    literal = _TEMPLATE.sub("", target)
    first_template = _TEMPLATE.search(target)
    prefix = target if first_template is None else target[:first_template.start()]
    if first_template is None and _EXTENSION.fullmatch(target):
        return None
    if problem := _scheme_problem(prefix, whole=first_template is None):
        return problem
    if "?" in literal:
        return "URI headers (`?...`) are never sent"
    uri, _, rest = target.partition(";")
    if ";" in literal and not parameters:
        return f"URI parameters (`;...`) are refused unless the plan says {OPT_IN}"
    if rest and not _TEMPLATE.search(rest) and not _TRANSPORT.fullmatch(";" + rest):
        return "the engine sends no URI parameter but `;transport=udp`, `tcp` or `tls`"
    if first_template is None and not _PLAIN_URI.fullmatch(uri):
        return ("not a plain SIP URI: write `sip:user@host` or `sip:user@host:port`, the "
                "user of A-Z a-z 0-9 * # + . _ ~ -")
    return None


def extension_problem(target: str) -> str | None:
    """Why `target` of `dial extension` can never be an extension number, or None."""
    literal = _TEMPLATE.sub("", target)
    if _TEMPLATE.search(target) is None:
        return None if _EXTENSION.fullmatch(target) else (
            "an extension is digits, `*`, `#` and `+` (up to 32)")
    if literal and not re.fullmatch(r"[0-9*#+]*", literal):
        return "only digits, `*`, `#` and `+` may be written around the template"
    return None


def _scheme_problem(prefix: str, whole: bool) -> str | None:
    match = _SCHEME.match(prefix)
    if match is None:
        if whole or ":" in prefix or "@" in prefix:
            return "no `sip:` or `sips:` scheme (an extension is digits, `*`, `#` and `+`)"
        return None
    if match.group("scheme") not in ("sip", "sips"):
        return f"`{match.group('scheme')}:` is not a SIP URI: write `sip:` or `sips:`"
    return None



def trunk_number_problem(target: str) -> str | None:
    """Why the number of `dial trunk NAME "..."` can never be a phone number, or None
    (which numbers the trunk allows is the service's to check: dialplan/trunks)."""
    literal = _TEMPLATE.sub("", target)
    if _TEMPLATE.search(target) is None:
        return None if re.fullmatch(r"\+?[0-9]{1,20}", target) else (
            "a phone number is digits, with an optional leading `+` (up to 20)")
    if literal and not re.fullmatch(r"\+?[0-9]*", literal):
        return "only digits (and a leading `+`) may be written around the template"
    return None
