"""The engine's internal record of one call leg.

Why separate from the public ``CallSession`` handle: the record holds the
mutable bookkeeping (state machine, answer future, media ids, hold flags) that
only the manager updates; users get a read-mostly handle that delegates
operations to the manager.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

from engine.session.state import CallState, SessionStateMachine


@dataclass
class Session:
    """Bookkeeping for one call leg (inbound, outbound or created by a REFER)."""

    session_id: str
    direction: str  # "inbound" | "outbound"
    local_uri: str
    remote_uri: str
    request_uri: str = ""
    source: str = ""  # inbound: host:port the INVITE came from
    headers: tuple[tuple[str, str], ...] = ()  # inbound: the INVITE's X- headers
    parent_id: str | None = None
    machine: SessionStateMachine = field(default_factory=SessionStateMachine)
    answered: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    created_at: float = field(default_factory=time.monotonic)
    answered_at: float | None = None
    local_hold: bool = False
    remote_hold: bool = False
    media_active: bool = False
    final_status: int = 0
    final_reason: str = ""
    group: str | None = None
    playbacks: set[str] = field(default_factory=set)
    recordings: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def state(self) -> CallState:
        return self.machine.state

    def next_media_id(self, kind: str) -> str:
        return f"{self.session_id}-{kind}{next(self._ids)}"
