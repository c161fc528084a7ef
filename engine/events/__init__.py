"""The event system: bus and event types."""

from engine.events.bus import EventBus, Subscription
from engine.events.types import (
    CallEnded,
    CallReplaced,
    CallStateChanged,
    CallTransferred,
    DtmfReceived,
    EngineEvent,
    HoldChanged,
    IncomingCallReceived,
    PlaybackFinished,
    RecordingFinished,
    TransferStatus,
)

__all__ = [
    "CallEnded",
    "CallReplaced",
    "CallStateChanged",
    "CallTransferred",
    "DtmfReceived",
    "EngineEvent",
    "EventBus",
    "HoldChanged",
    "IncomingCallReceived",
    "PlaybackFinished",
    "RecordingFinished",
    "Subscription",
    "TransferStatus",
]
