"""Events published on the bus: small frozen records, one per kind of news.

Why frozen dataclasses: subscribers on different tasks share the same object,
and pattern matching on the class reads well in handlers and tests.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineEvent:
    session_id: str


@dataclass(frozen=True, slots=True)
class IncomingCallReceived(EngineEvent):
    from_uri: str
    to_uri: str
    request_uri: str


@dataclass(frozen=True, slots=True)
class CallStateChanged(EngineEvent):
    old_state: str
    new_state: str


@dataclass(frozen=True, slots=True)
class DtmfReceived(EngineEvent):
    digit: str
    method: str  # "rfc2833" | "sip_info"


@dataclass(frozen=True, slots=True)
class HoldChanged(EngineEvent):
    local_hold: bool
    remote_hold: bool


@dataclass(frozen=True, slots=True)
class PlaybackFinished(EngineEvent):
    playback_id: str
    stopped: bool  # True when stopped early (stop_playback or hangup)


@dataclass(frozen=True, slots=True)
class RecordingFinished(EngineEvent):
    recording_id: str
    path: str  # a complete, closed WAV file


@dataclass(frozen=True, slots=True)
class TransferStatus(EngineEvent):
    status: int
    reason: str
    final: bool


@dataclass(frozen=True, slots=True)
class CallTransferred(EngineEvent):
    """A REFER we received created this new outbound session."""

    parent_session_id: str
    target_uri: str


@dataclass(frozen=True, slots=True)
class CallReplaced(EngineEvent):
    """An attended transfer replaced ``replaced_session_id`` by this new session."""

    replaced_session_id: str
    remote_uri: str


@dataclass(frozen=True, slots=True)
class CallEnded(EngineEvent):
    status: int
    reason: str
