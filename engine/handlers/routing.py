"""RoutingHandler: choose by the dialled number, with dialplan-style patterns.

Patterns follow the PBX convention: a literal number matches itself; a
pattern starting with ``_`` uses ``X`` (0-9), ``Z`` (1-9), ``N`` (2-9),
``[15-7]`` (a set or range), ``.`` (one or more of anything) and ``!`` (zero
or more). Routes are tried in order; the first match decides. A route's
target is another handler, a fixed ``CallDecision``, or a URI string (the
call is forwarded there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from engine.handlers.base import CallHandler
from engine.types import CallDecision, IncomingCall

if TYPE_CHECKING:
    from engine.session.handle import CallSession

Target = CallHandler | CallDecision | str
_CLASSES = {"X": "[0-9]", "Z": "[1-9]", "N": "[2-9]", ".": ".+", "!": ".*"}


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Translate a dialled-number pattern into an anchored regex."""
    if not pattern.startswith("_"):
        return re.compile(re.escape(pattern) + r"\Z")
    out: list[str] = []
    body = pattern[1:]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "[":
            end = body.find("]", i)
            if end < 0:
                raise ValueError(f"unclosed [ in pattern {pattern!r}")
            out.append("[" + body[i + 1 : end] + "]")
            i = end + 1
            continue
        out.append(_CLASSES.get(ch.upper(), re.escape(ch)))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, number: str) -> bool:
    return compile_pattern(pattern).match(number) is not None


class RoutingHandler(CallHandler):
    """Ordered (pattern, target) routes plus a default for no match."""

    def __init__(
        self,
        routes: dict[str, Target] | Iterable[tuple[str, Target]],
        default: Target | None = None,
    ) -> None:
        items = routes.items() if isinstance(routes, dict) else routes
        self.routes: list[tuple[str, Target]] = [(p, t) for p, t in items]
        for pattern, _target in self.routes:
            compile_pattern(pattern)  # fail at construction, not on the first call
        self.default: Target = default or CallDecision.reject(404, "Not Found")
        self._handlers = [t for _p, t in self.routes if isinstance(t, CallHandler)]

    def route(self, number: str) -> Target:
        for pattern, target in self.routes:
            if matches(pattern, number):
                return target
        return self.default

    async def on_incoming_call(self, call: IncomingCall) -> CallDecision:
        target = self.route(call.dialled)
        if isinstance(target, CallHandler):
            return await target.on_incoming_call(call)
        if isinstance(target, str):
            return CallDecision.forward(target)
        return target

    async def on_call_ended(self, call: CallSession, reason: str) -> None:
        for handler in self._handlers:
            await handler.on_call_ended(call, reason)
