"""What a caller perceives of a call, as opposed to the commands the machine emits:
what is said and played, the call being answered, a transfer, dial or queue that is
under way, a recording, the call ending. Timers and listening are bookkeeping a
caller never notices, so they do not appear here; log lines are kept as notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heard:
    """Spoken text (`say`, a text prompt) or prompt files played (`play`, `sound`)."""

    text: str  # the rendered text, or the prompt names joined by ", "
    played: bool = False  # True: prompt files, False: text to speech
    # heard before the answer, over early media (`progress`); shown, not compared
    early: bool = field(default=False, compare=False)
    language: str | None = None  # the language it is spoken or looked up in, when set

    def __str__(self) -> str:
        said = f"plays {self.text}" if self.played else f'says "{self.text}"'
        said = f"{said} in {self.language}" if self.language else said
        return said + (" (early media, before the answer)" if self.early else "")


@dataclass(frozen=True)
class Answered:
    def __str__(self) -> str:
        return "answers"


@dataclass(frozen=True)
class Ringing:
    early_media: bool = False

    def __str__(self) -> str:
        return "sends progress (183): early media" if self.early_media else "rings"


@dataclass(frozen=True)
class Requested:
    """A transfer, dial or queue the plan asked for; it waits for an outcome."""

    kind: str  # transfer | dial | queue
    targets: tuple[str, ...]  # SIP targets; for a queue, its name

    def __str__(self) -> str:
        return f"{self.kind} {', '.join(json.dumps(t) for t in self.targets)}"


@dataclass(frozen=True)
class Fetched:
    """An HTTP lookup the plan made (the caller notices only the pause)."""

    method: str
    url: str

    def __str__(self) -> str:
        return f"fetch {self.method} {json.dumps(self.url)}"


@dataclass(frozen=True)
class Recording:
    name: str
    beep: bool

    def __str__(self) -> str:
        return f"records {self.name}" + (" after a beep" if self.beep else "")


@dataclass(frozen=True)
class Ended:
    cause: str
    sip_status: int
    by_caller: bool = False

    def __str__(self) -> str:
        who = "caller hung up" if self.by_caller else f"hangs up ({self.cause})"
        return who


@dataclass(frozen=True)
class Note:
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


Perceived = Heard | Answered | Ringing | Requested | Recording | Ended | Note | Fetched
