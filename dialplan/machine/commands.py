"""Commands: what the machine asks the engine to do. Only the engine performs them."""

from __future__ import annotations

from dataclasses import dataclass

from ..wording.said import Said


@dataclass(frozen=True)
class Answer:
    pass


@dataclass(frozen=True)
class Ring:
    early_media: bool = False


@dataclass(frozen=True)
class Play:
    sounds: tuple[str, ...]
    barge_in: bool = False
    language: str | None = None  # the call's language (prompts/<language>/), else the service's


@dataclass(frozen=True)
class Say:
    text: str
    voice: str | None = None
    rate: int | None = None
    language: str | None = None
    barge_in: bool = False
    parts: tuple[Said, ...] = ()  # the text in pieces; said values name recorded prompts


@dataclass(frozen=True)
class StopPrompt:
    pass


@dataclass(frozen=True)
class StartListening:
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class StopListening:
    pass


@dataclass(frozen=True)
class StartTimer:
    token: int
    seconds: float


@dataclass(frozen=True)
class CancelTimer:
    token: int


@dataclass(frozen=True)
class Transfer:
    target: str


@dataclass(frozen=True)
class Dial:
    targets: tuple[str, ...]
    timeout: float
    caller_id: str | None = None
    extension: bool = False  # targets are extensions of the directory, not SIP targets
    trunk: str = ""  # the target is a number for this trunk ([trunks.NAME])


@dataclass(frozen=True)
class Enqueue:
    queue: str
    agents: tuple[str, ...]
    music: str | None
    max_wait: float
    ring_timeout: float
    strategy: str
    max_callers: int = 100


@dataclass(frozen=True)
class StartRecording:
    name: str
    max_seconds: float
    beep: bool = True


@dataclass(frozen=True)
class StopRecording:
    pass


@dataclass(frozen=True)
class Fetch:
    """An HTTP request; its FetchResult carries `request` back. Header values still hold
    `$NAME` secrets: the performer fills them in, so they never pass through here."""

    request: int
    var: str  # the name its results go under (`var.balance`)
    url: str
    method: str = "GET"
    timeout: float = 5.0
    headers: tuple[tuple[str, str], ...] = ()
    body: tuple[tuple[str, str], ...] = ()
    body_kind: str = ""  # "" | json | form


@dataclass(frozen=True)
class Hangup:
    cause: str = "normal"
    sip_status: int = 480


@dataclass(frozen=True)
class DigitDropped:
    """A digit the flow could not use: the service logs and counts it."""

    key: str
    reason: str


@dataclass(frozen=True)
class Log:
    level: str  # info | warning | error
    message: str


Command = (
    Answer | Ring | Play | Say | StopPrompt | StartListening | StopListening | StartTimer
    | CancelTimer | Transfer | Dial | Enqueue | StartRecording | StopRecording | Hangup | Log
    | Fetch | DigitDropped
)
