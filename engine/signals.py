"""Plain-Python signals the adapter hands out to the asyncio side.

Why: pjsua2 objects must never leave the adapter's thread (they would be
destroyed on the wrong thread, or outlive ``libDestroy``). Every callback is
therefore flattened into one of these frozen records, built on the pjsua2
thread and delivered to the event loop with ``call_soon_threadsafe``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IncomingSignal:
    """A new inbound INVITE; always the first signal for its session."""

    session_id: str
    remote_uri: str
    local_uri: str
    request_uri: str
    sip_call_id: str
    source: str = ""  # host:port the INVITE came from
    headers: tuple[tuple[str, str], ...] = ()  # its extension (X-) headers, see sip_headers


@dataclass(frozen=True, slots=True)
class StateSignal:
    """An INVITE-session state change (calling, early, confirmed, disconnected...)."""

    session_id: str
    state: str
    status: int
    reason: str


@dataclass(frozen=True, slots=True)
class MediaSignal:
    """Media state of a call after an offer/answer (hold shows up here)."""

    session_id: str
    active: bool
    local_hold: bool
    remote_hold: bool


@dataclass(frozen=True, slots=True)
class DtmfSignal:
    """One received DTMF digit; method is ``rfc2833`` or ``sip_info``."""

    session_id: str
    digit: str
    method: str


@dataclass(frozen=True, slots=True)
class TransferStatusSignal:
    """Progress of a REFER we sent (NOTIFY sipfrag status)."""

    session_id: str
    status: int
    reason: str
    final: bool


@dataclass(frozen=True, slots=True)
class TransferredSignal:
    """A REFER we received created a new outbound leg ``session_id``."""

    session_id: str
    parent_session_id: str
    target_uri: str


@dataclass(frozen=True, slots=True)
class ReplacedSignal:
    """An INVITE with Replaces took over ``replaced_session_id`` as ``session_id``."""

    session_id: str
    replaced_session_id: str
    remote_uri: str


@dataclass(frozen=True, slots=True)
class PlaybackSignal:
    """A player reached its end (or was stopped) and has been released."""

    session_id: str
    playback_id: str
    stopped: bool


@dataclass(frozen=True, slots=True)
class RecordingSignal:
    """A recorder was destroyed: its WAV file is complete and closed."""

    session_id: str
    recording_id: str
    path: str


@dataclass(frozen=True, slots=True)
class AudioFrameSignal:
    """Received audio (16-bit mono PCM at the bridge clock rate) for a tap."""

    session_id: str
    tap_id: str
    pcm: bytes


Signal = (
    IncomingSignal
    | StateSignal
    | MediaSignal
    | DtmfSignal
    | TransferStatusSignal
    | TransferredSignal
    | ReplacedSignal
    | PlaybackSignal
    | RecordingSignal
    | AudioFrameSignal
)
