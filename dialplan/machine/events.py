"""Events: what the engine tells the machine. Each is a small frozen record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PromptFinished:
    """The current play or say ended (also after a StopPrompt)."""


@dataclass(frozen=True)
class Digit:
    key: str  # one of 0-9 * #


@dataclass(frozen=True)
class TimerFired:
    token: int


@dataclass(frozen=True)
class SpeechStarted:
    """The recognizer heard the caller begin to speak."""


@dataclass(frozen=True)
class SpeechResult:
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class TransferResult:
    ok: bool
    status: int = 0


@dataclass(frozen=True)
class DialResult:
    outcome: str  # answered | busy | noanswer | failed


@dataclass(frozen=True)
class QueueResult:
    outcome: str  # answered | noanswer | failed


@dataclass(frozen=True)
class BridgeEnded:
    """The other party of a dial or queue bridge hung up; the caller is still here."""


@dataclass(frozen=True)
class RecordingFinished:
    recording: str
    seconds: float


@dataclass(frozen=True)
class FetchResult:
    """How a Fetch went: `ok` with the variables its JSON sets, or `failed` (`status` 0
    when no response came) and why."""

    request: int
    outcome: str  # ok | failed
    status: int = 0
    values: tuple[tuple[str, str | int | float | bool], ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class HungUp:
    """The caller went away."""


Event = (
    PromptFinished | Digit | TimerFired | SpeechStarted | SpeechResult | TransferResult
    | DialResult | QueueResult | BridgeEnded | RecordingFinished | HungUp | FetchResult
)
