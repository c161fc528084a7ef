"""engine: a session-core runtime on pjsua2, asyncio-native.

Build a manager, start it, make or take calls::

    manager = (SessionManagerBuilder().with_sip_port(5060)
               .with_bind_address("127.0.0.1").with_media_ports(10000, 10100)
               .with_handler(AutoAnswerHandler()).build())
    await manager.start()
    call = await manager.make_call(None, "sip:bob@127.0.0.1:5070")
    await call.wait_for_answer(timeout=10)

Only ``engine.pjsip`` imports pjsua2; everything here is plain Python. A manager
runs on any ``Stack`` (``with_stack``): tests use ``engine.testing.MemoryStack``
(see docs/engine.md).
"""

from engine.admission import HARD_CAP, ChurnGuard, ResourceLimits
from engine.api import SessionManagerBuilder
from engine.errors import (
    CallBusy,
    CallCancelled,
    CallDeclined,
    CallFailed,
    CallNotFound,
    CallTimeout,
    CapacityExceeded,
    EngineError,
    EngineNotRunning,
    InvalidState,
    MediaError,
    OperationFailed,
    ServiceUnavailable,
    SessionNotFound,
    call_failed,
)
from engine.events import *  # noqa: F403
from engine.events import __all__ as _events_all
from engine.handlers import (
    AutoAnswerHandler,
    CallHandler,
    CompositeHandler,
    QueueFull,
    QueueHandler,
    RoutingHandler,
)
from engine.manager import ManagerStats, SessionManager
from engine.manager.groups import SessionGroups
from engine.session import CallSession, CallState, IllegalTransition
from engine.sources import TrustedSources
from engine.stack import Stack, StackError
from engine.types import (
    BridgeInfo,
    CallDecision,
    DecisionKind,
    IncomingCall,
    Priority,
    user_part,
)

__all__ = [
    *_events_all,
    "HARD_CAP",
    "AutoAnswerHandler",
    "BridgeInfo",
    "CallBusy",
    "CallCancelled",
    "CallDecision",
    "CallDeclined",
    "CallFailed",
    "CallHandler",
    "CallNotFound",
    "CallSession",
    "CallState",
    "CallTimeout",
    "CapacityExceeded",
    "ChurnGuard",
    "CompositeHandler",
    "DecisionKind",
    "EngineError",
    "EngineNotRunning",
    "IllegalTransition",
    "IncomingCall",
    "InvalidState",
    "ManagerStats",
    "MediaError",
    "OperationFailed",
    "Priority",
    "QueueFull",
    "QueueHandler",
    "ResourceLimits",
    "RoutingHandler",
    "ServiceUnavailable",
    "SessionGroups",
    "SessionManager",
    "SessionManagerBuilder",
    "SessionNotFound",
    "Stack",
    "StackError",
    "TrustedSources",
    "call_failed",
    "user_part",
]
