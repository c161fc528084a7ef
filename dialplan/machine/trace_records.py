"""What a call's trace holds, as the service writes it and the live driver reads it.

Why here: the writer (dialplan/runtime/trace.py, behind the service's admin endpoint)
and the reader (dialplan/live, which talks to a service over HTTP only) must agree on
one shape without importing each other; the machine's package is below both. Pure
data: records of what the caller would perceive, each with `at` (seconds since the
call began), and their JSON form (`{"kind": "say", "at": 0.2, "text": ...}`).

A live caller names its call with a tag in the Request-URI (TAG_PARAM): the engine
does not tell an outgoing call its own SIP Call-ID. The service keeps the URI as it
came; only a request for `/trace?tag=` reads the tag out of it (tag_of).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

TAG_PARAM = "x-dialplan-test"
_TAG = re.compile(rf";{TAG_PARAM}=([A-Za-z0-9._-]{{1,64}})")


def tag_of(request_uri: str) -> str:
    """The `x-dialplan-test` parameter of a Request-URI, or ""."""
    match = _TAG.search(request_uri)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Answer:
    at: float = 0.0
    kind: Literal["answer"] = "answer"


@dataclass(frozen=True)
class Ring:
    early_media: bool
    at: float = 0.0
    kind: Literal["ring"] = "ring"


@dataclass(frozen=True)
class Say:
    text: str
    at: float = 0.0
    kind: Literal["say"] = "say"
    language: str | None = None  # when the plan or call set one


@dataclass(frozen=True)
class Play:
    sounds: tuple[str, ...]
    at: float = 0.0
    kind: Literal["play"] = "play"


@dataclass(frozen=True)
class Request:
    """A transfer, dial or queue the plan asked for, with its targets."""

    kind: Literal["transfer", "dial", "queue"]
    targets: tuple[str, ...]
    at: float = 0.0


@dataclass(frozen=True)
class Record:
    name: str
    beep: bool
    at: float = 0.0
    kind: Literal["record"] = "record"


@dataclass(frozen=True)
class Hangup:
    cause: str
    sip_status: int
    at: float = 0.0
    kind: Literal["hangup"] = "hangup"


@dataclass(frozen=True)
class Fetch:
    """An HTTP lookup the plan made: its method and URL (headers, with their secrets,
    are never recorded)."""

    method: str
    url: str
    at: float = 0.0
    kind: Literal["fetch"] = "fetch"


@dataclass(frozen=True)
class Log:
    level: str
    message: str
    at: float = 0.0
    kind: Literal["log"] = "log"


@dataclass(frozen=True)
class Result:
    """How a transfer, dial, queue or bridge turned out, in a scenario's `outcome` words
    (`status`: a transfer's SIP status, when it failed)."""

    of: Literal["transfer", "dial", "queue", "bridge", "fetch"]
    outcome: str
    status: int | None = None
    at: float = 0.0
    kind: Literal["result"] = "result"


TraceRecord = Answer | Ring | Say | Play | Request | Record | Hangup | Log | Result | Fetch
KINDS: dict[str, type[TraceRecord]] = {
    "answer": Answer, "ring": Ring, "say": Say, "play": Play, "transfer": Request,
    "dial": Request, "queue": Request, "record": Record, "hangup": Hangup, "log": Log,
    "result": Result, "fetch": Fetch}


def record_json(record: TraceRecord) -> dict[str, object]:
    """A record as the admin endpoint sends it (a result without a status omits it)."""
    data = {name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(record).items()}
    if isinstance(record, Result) and record.status is None:
        del data["status"]
    return data


def record_from_json(data: Mapping[str, object]) -> TraceRecord:
    """A record read back from its JSON; unknown fields are ignored. Raises KeyError,
    TypeError or ValueError for what is not a record."""
    kind = KINDS[str(data["kind"])]
    names = {f.name for f in dataclasses.fields(kind)}
    fields = {name: tuple(value) if isinstance(value, list) else value
              for name, value in data.items() if name in names}
    return kind(**fields)  # type: ignore[arg-type]
