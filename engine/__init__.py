"""engine: a session-core runtime on pjsua2, asyncio-native.

Build a manager, start it, make or take calls::

    manager = (SessionManagerBuilder().with_sip_port(5060)
               .with_bind_address("127.0.0.1").with_media_ports(10000, 10100)
               .with_handler(AutoAnswerHandler()).build())
    await manager.start()
    call = await manager.make_call(None, "sip:bob@127.0.0.1:5070")
    await call.wait_for_answer(timeout=10)

Only ``engine.pjsip`` imports pjsua2; everything here is plain Python.
"""

from engine.api import *  # noqa: F403 (the API package defines __all__)
from engine.api import __all__ as _api_all
from engine.bridge import BridgeInfo
from engine.coordination import HARD_CAP, ChurnGuard, Priority, ResourceLimits, SessionGroups
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
from engine.manager import SessionManager
from engine.session import CallState, IllegalTransition

__all__ = [
    *_api_all,
    *_events_all,
    "HARD_CAP",
    "AutoAnswerHandler",
    "BridgeInfo",
    "ChurnGuard",
    "CallHandler",
    "CallState",
    "CompositeHandler",
    "IllegalTransition",
    "Priority",
    "QueueFull",
    "QueueHandler",
    "ResourceLimits",
    "RoutingHandler",
    "SessionGroups",
    "SessionManager",
]
