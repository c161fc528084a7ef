"""State shared by the SessionManager's parts, and their common helpers.

Why a base class: the manager is split by concern (creation, control, media,
signal routing, cleanup) into mixins of a readable size; they all need the
stack, registry, bus and the task set declared once here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from engine.api.errors import EngineNotRunning, OperationFailed, SessionNotFound
from engine.api.types import IncomingCall
from engine.bridge.bridge import BridgeRegistry
from engine.coordination.churn import ChurnGuard
from engine.coordination.groups import SessionGroups
from engine.coordination.priority import Priority
from engine.coordination.resources import ResourceLimits
from engine.events.bus import EventBus
from engine.handlers.base import CallHandler
from engine.manager.registry import SessionRegistry
from engine.session.session import Session
from engine.stack import Stack, StackError, UnknownSession

if TYPE_CHECKING:
    from engine.api.session import CallSession

LOG = logging.getLogger("engine")
T = TypeVar("T")


@dataclass
class ManagerStats:
    """Counters the service reads. ``illegal_transitions`` should stay 0: each one is a
    bug in signal handling, logged at error level (and raised in strict mode, where
    ``faults`` keeps them so ``stop`` can raise the first)."""

    illegal_transitions: int = 0
    faults: list[Exception] = field(default_factory=list)


class ManagerBase:
    """Attributes and helpers every manager mixin relies on."""

    _stack: Stack
    handler: CallHandler
    limits: ResourceLimits
    priority_rule: Callable[[IncomingCall], Priority] | None
    churn: ChurnGuard
    media_timeout: float
    registry: SessionRegistry
    bus: EventBus
    groups: SessionGroups
    bridges: BridgeRegistry
    _tasks: set[asyncio.Task[Any]]
    _running: bool
    needs_restart: bool
    _audio_sinks: dict[str, asyncio.Queue[bytes | None]]
    strict: bool
    stats: ManagerStats

    def _require_running(self) -> None:
        if not self._running:
            raise EngineNotRunning("SessionManager is not running")

    def _session(self, session_id: str) -> Session:
        return self.registry.get(session_id)

    def get_session(self, session_id: str) -> CallSession:
        """The handle of a live session (raises SessionNotFound)."""
        return self.handle(self._session(session_id))

    def sessions(self) -> list[CallSession]:
        """Handles of every live session."""
        return [self.handle(s) for s in self.registry]

    def handle(self, session: Session) -> CallSession:
        from engine.api.session import CallSession

        return CallSession(self, session)  # type: ignore[arg-type]

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start a tracked task: stop() cancels and awaits whatever is left."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            LOG.error("engine task %s failed", task.get_name(), exc_info=task.exception())

    async def _sip(self, operation: str, awaitable: Awaitable[T], media: bool = False) -> T:
        """Await a stack call, turning adapter errors into API errors."""
        from engine.api.errors import MediaError

        try:
            return await awaitable
        except UnknownSession as exc:
            raise SessionNotFound(exc.session_id) from None
        except StackError as exc:
            kind = MediaError if media else OperationFailed
            raise kind(operation, exc.status, exc.reason) from None
