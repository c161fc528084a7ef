"""The extension headers of a SIP request, for the handler to see.

Why only ``X-`` headers, and so few: they are how a proxy in front of the engine
says what it checked (a phone's authenticated extension, say); everything else in
the INVITE is already parsed by the stack. The handler decides which of them to
trust, by the source the request came from: a header is only a claim. Bounds keep
a hostile INVITE from making every call carry kilobytes of junk.
"""

from __future__ import annotations

MAX_HEADERS = 16
MAX_VALUE = 256


def extension_headers(message: str) -> tuple[tuple[str, str], ...]:
    """The ``X-`` headers of a raw SIP message, in order, folded lines joined."""
    head = message.split("\r\n\r\n", 1)[0]
    found: list[tuple[str, str]] = []
    for line in _unfolded(head.split("\r\n")[1:]):
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not name.lower().startswith("x-") or not _token(name):
            continue
        found.append((name, value.strip()[:MAX_VALUE]))
        if len(found) == MAX_HEADERS:
            break
    return tuple(found)


def _unfolded(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and joined:
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    return joined


def _token(name: str) -> bool:
    return all(c.isalnum() or c in "-.!%*_+`'~" for c in name)
