"""Matching `expect webhook EVENT field = value ...` against the webhooks a call posted
(the simulator's record of them), in order like `hear`: from the event after the last
one matched, the first of that name whose fields all hold.

A field is a dotted path into the event (`outcome`, `call.caller`, `queue.outcome`); a
value compares as `expect var` does (digits as text equal the number they spell), and
against a list (`path`) it holds when the list contains it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import model as m

MISSING = object()
Same = Callable[[object, object], bool]


def field(event: Mapping[str, Any], path: str) -> object:
    """The value at a dotted `path` of `event`, or MISSING."""
    value: object = event
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


def holds(actual: object, expected: object, same: Same) -> bool:
    if isinstance(actual, list):
        return any(same(item, expected) for item in actual)
    return actual is not MISSING and actual is not None and same(actual, expected)


def find(sent: Sequence[Mapping[str, Any]], start: int, step: m.ExpectWebhook,
         same: Same) -> int | None:
    """The index of the first event from `start` on that `step` expects, or None."""
    for index in range(start, len(sent)):
        event = sent[index]
        if event.get("event") == step.event and all(
                holds(field(event, path), value, same) for path, value in step.fields):
            return index
    return None


def described(step: m.ExpectWebhook, show: Callable[[object], str]) -> str:
    fields = " ".join(f"{path} = {show(value)}" for path, value in step.fields)
    return f"webhook {step.event}" + (f" with {fields}" if fields else "")


def what_was_sent(sent: Sequence[Mapping[str, Any]], step: m.ExpectWebhook,
                  show: Callable[[object], str]) -> str:
    """The actual side of a mismatch: the events of that name and their fields asked
    about, or the names of the events sent."""
    alike = [event for event in sent if event.get("event") == step.event]
    if not alike:
        names = ", ".join(str(event.get("event")) for event in sent) or "none"
        return f"no {step.event} webhook (sent: {names})"
    if not step.fields:
        return f"{len(alike)} {step.event} webhook(s) before this point only"
    return "; ".join(f"{step.event} with " + " ".join(
        f"{path} = {_shown(field(event, path), show)}" for path, _ in step.fields)
        for event in alike)


def _shown(value: object, show: Callable[[object], str]) -> str:
    return "(none)" if value is MISSING else show(value)
