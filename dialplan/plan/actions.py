"""What a plan's nodes do: one immutable action per node, performed by the machine.

Actions are the vocabulary shared by the compiler (which lowers statements into them)
and the machine (which performs them); see model.py for how nodes chain them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..syntax.exprs import Expr


@dataclass(frozen=True)
class Enter:
    """Entry of a state: no command, but the call's location changes."""

    flow: str
    state: str


@dataclass(frozen=True)
class Answer:
    pass


@dataclass(frozen=True)
class Ringing:
    early_media: bool = False  # True: 183 Session Progress, False: 180 Ringing


@dataclass(frozen=True)
class Voice:
    voice: str | None = None
    rate: int | None = None
    language: str | None = None
    voice_var: str | None = None  # a call variable naming the voice, read when speaking
    language_var: str | None = None  # a call variable naming the language: it wins when set
    language_fixed: bool = False  # set by a statement or flow: the call's `language` yields


DEFAULT_VOICE = Voice()  # the engine's default voice, rate and language


@dataclass(frozen=True)
class Play:
    sounds: tuple[str, ...]
    voice: Voice = Voice()  # its language picks the folder: prompts/<language>/


@dataclass(frozen=True)
class Say:
    text: str  # a jinja2 template
    voice: Voice = Voice()


@dataclass(frozen=True)
class Prompt:
    """What an input node plays before it listens: spoken text or a sound file."""

    text: str | None = None
    sound: str | None = None
    voice: Voice = Voice()


@dataclass(frozen=True)
class Input:
    """Timing shared by menu, collect and listen; see docs/language.md for semantics."""

    prompt: Prompt | None
    timeout: float
    interdigit: float
    attempts: int
    barge_in: bool


@dataclass(frozen=True)
class Menu:
    input: Input
    confidence: float = 0.0


@dataclass(frozen=True)
class Collect:
    var: str
    input: Input
    min_digits: int
    max_digits: int
    terminators: str
    overall: float | None = None


@dataclass(frozen=True)
class Listen:
    var: str
    input: Input
    phrases: tuple[str, ...]
    confidence: float = 0.0


@dataclass(frozen=True)
class SetVar:
    var: str
    expr: Expr


@dataclass(frozen=True)
class Branch:
    """Continue at branch `true` or `false`."""

    condition: Expr


@dataclass(frozen=True)
class Retry:
    input_node: int


@dataclass(frozen=True)
class Run:
    """Call a sub-flow (branch `call`); `return` there continues at this node's `next`."""

    flow: str


@dataclass(frozen=True)
class Return:
    pass


@dataclass(frozen=True)
class Transfer:
    target: str
    timeout: float = 40.0  # for the far end's final answer: then the `failed` path


@dataclass(frozen=True)
class Dial:
    """`targets` are SIP targets, or with `extension` extension numbers of the directory
    (rung at every device registered for them)."""

    targets: tuple[str, ...]
    timeout: float
    caller_id: str | None = None
    extension: bool = False
    trunk: str = ""  # `dial trunk NAME`: the one target is a number dialled through it


@dataclass(frozen=True)
class Enqueue:
    queue: str


@dataclass(frozen=True)
class Record:
    var: str
    max_seconds: float
    finish_keys: str
    beep: bool


@dataclass(frozen=True)
class Fetch:
    """An HTTP lookup: JSON result into `var.*` (flattened), branch ok/failed/timeout.

    `url` is a template whose scheme, host and port are literal (checked by the
    compiler); caller values are URL-quoted into its path and query by the machine.
    Header values are literal apart from `$NAME` secrets the runtime reads from its
    environment; body values are templates.
    """

    var: str
    url: str
    method: str = "GET"
    timeout: float = 5.0
    headers: tuple[tuple[str, str], ...] = ()
    body: tuple[tuple[str, str], ...] = ()
    body_kind: str = ""  # "" (none) | json | form
    status_var: str | None = None


@dataclass(frozen=True)
class Hangup:
    cause: str
    sip_status: int


@dataclass(frozen=True)
class Wait:
    seconds: float


Action = (
    Enter | Answer | Ringing | Play | Say | Menu | Collect | Listen | SetVar | Branch | Retry
    | Run | Return | Transfer | Dial | Enqueue | Record | Hangup | Wait | Fetch
)
