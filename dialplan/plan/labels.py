"""Branch labels: what a node's branches are keyed by, typed rather than spelled.

A branch is taken on an outcome (`noinput`, `busy`, `true`, `call`, ...), on a menu
key (`key 1`) or on a spoken menu word (`word sales`). Each label prints as it reads in
`dialplan show`, in traces and in coverage reports; outcomes are string enums, so an
outcome that arrives as text from the engine (a dial's `busy`) compares equal to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """The outcome branches a statement may have, named as the language writes them."""

    TRUE = "true"  # if/elif: the condition held
    FALSE = "false"
    CALL = "call"  # run: into the sub-flow
    OK = "ok"  # collect, listen: a value was taken
    NOINPUT = "noinput"
    NOMATCH = "nomatch"
    EXHAUSTED = "exhausted"  # the last attempt failed
    ANSWERED = "answered"  # dial, queue
    BUSY = "busy"
    NOANSWER = "noanswer"
    FAILED = "failed"  # transfer, dial, queue, fetch
    UNAVAILABLE = "unavailable"  # dial: not registered or no such party (404, 480, 410)
    TIMEOUT = "timeout"  # fetch: no answer in time


@dataclass(frozen=True)
class Key:
    """A menu option pressed as DTMF digits."""

    digits: str

    def __str__(self) -> str:
        return f"key {self.digits}"


@dataclass(frozen=True)
class Word:
    """A menu option spoken: lower case, single spaces."""

    text: str

    def __str__(self) -> str:
        return f"word {self.text}"


Label = Outcome | Key | Word
