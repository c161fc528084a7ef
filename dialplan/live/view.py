"""What a live scenario's caller perceived, from the service's trace and the wire.

Why both: audio does not say which text was spoken, so the trace (its records:
machine/trace_records.py) gives what the service said and played, in order; the wire
decides what really reached the caller: the answer, a transfer (its REFER, with the
Refer-To target as sent), and the end of the call with its status. An item of the
trace the wire has not shown (yet) is left out. Without a trace, only the wire's items are there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..compiler.lower_actions import HANGUP_CAUSES
from ..machine import trace_records as tr
from ..sim import perceived as seen


@dataclass(frozen=True)
class Wire:
    """What the caller's side of the call showed so far."""

    answered: bool = False
    refused: int | None = None  # the final status of a call the service did not answer
    hung_up: bool = False  # by the caller
    ended: int | None = None  # the status with which the service ended an answered call
    refers: list[str] = field(default_factory=list)  # Refer-To targets, in order

    @property
    def end_status(self) -> int | None:
        return self.refused if self.refused is not None else self.ended


def cause_of(status: int) -> str:
    """A SIP status in the words of `expect hangup` (`busy` for 486...)."""
    return next((name for name, (_, code) in HANGUP_CAUSES.items() if code == status),
                "normal")


def perceived(wire: Wire, records: Sequence[Mapping[str, object]]) -> list[seen.Perceived]:
    """The call as its caller perceived it, in the order the service acted; `records`
    as the trace's JSON has them."""
    return perceived_from(wire, [tr.record_from_json(r) for r in records])


def perceived_from(wire: Wire, records: Sequence[tr.TraceRecord]) -> list[seen.Perceived]:
    """The same, from typed records."""
    out: list[seen.Perceived] = []
    if not records:
        out += [seen.Answered()] if wire.answered else []
        out += [seen.Requested("transfer", (target,)) for target in wire.refers]
    refers = iter(wire.refers)
    end = wire.end_status
    for record in records:
        item = _item(record, wire, refers)
        if isinstance(item, seen.Ended):
            if end is None or wire.hung_up:
                continue  # the service hangs up, but the wire has not shown it yet
            item = seen.Ended(item.cause, item.sip_status if wire.answered else end)
            end = None
        if item is not None:
            out.append(item)
    if wire.hung_up:
        out.append(seen.Ended("normal", 200, by_caller=True))
    elif end is not None:  # ended on the wire, not by the plan: show the status
        out.append(seen.Ended(cause_of(end), end))
    return out


def _item(record: tr.TraceRecord, wire: Wire, refers: Iterator[str]
          ) -> seen.Perceived | None:
    match record:
        case tr.Answer():
            return seen.Answered() if wire.answered else None
        case tr.Ring(early_media=early):
            return seen.Ringing(early)
        case tr.Say(text=text, language=language):
            return seen.Heard(text, language=language)
        case tr.Play(sounds=sounds):
            return seen.Heard(", ".join(sounds), played=True)
        case tr.Request(kind="transfer"):
            target = next(refers, None)
            return seen.Requested("transfer", (target,)) if target else None
        case tr.Request(kind=kind, targets=targets):
            return seen.Requested(kind, targets)
        case tr.Record(name=name, beep=beep):
            return seen.Recording(name, beep)
        case tr.Log(level=level, message=message):
            return seen.Note(level, message)
        case tr.Fetch(method=method, url=url):
            return seen.Fetched(method, url)
        case tr.Hangup(cause=cause, sip_status=status):
            return seen.Ended(cause, status)
    return None
