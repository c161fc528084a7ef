"""Media objects: WAV players, WAV recorders and audio taps.

Why a subclass per object: the player's ``onEof2`` and the tap's
``onFrameReceived`` run inside a bridge tick (on the pjsua2 thread, which
ticks the bridge), so they only call a plain Python function that hands work
to the pjsua2 thread's queue or the event loop.
The objects themselves are destroyed only on the pjsua2 thread (the hub does
it), and a recorder's WAV header is written at destruction, which is why the
hub destroys every recorder on hangup and at shutdown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pjsua2 as pj

from engine.pjsip.call import guarded

FRAME_USEC = 20000
CLOCK_RATE = 8000


class Player(pj.AudioMediaPlayer):
    """A WAV player that reports its end through ``on_eof``."""

    def __init__(self, on_eof: Callable[[], None]) -> None:
        super().__init__()
        self._on_eof = on_eof
        self.due = math.inf  # monotonic time its end is due (a prompt; music never ends)

    @guarded
    def onEof2(self) -> None:
        self._on_eof()


class Tap(pj.AudioMediaPort):
    """A sink port that copies each received 20 ms frame to ``on_frame``."""

    def __init__(self, on_frame: Callable[[bytes], None]) -> None:
        super().__init__()
        self._on_frame = on_frame

    def open(self, name: str) -> None:
        fmt = pj.MediaFormatAudio()
        fmt.type = pj.PJMEDIA_TYPE_AUDIO
        fmt.init(pj.PJMEDIA_FORMAT_PCM, CLOCK_RATE, 1, FRAME_USEC, 16)
        self.createPort(name, fmt)

    @guarded
    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO and frame.size:
            self._on_frame(bytes(frame.buf))

    @guarded
    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        frame.type = pj.PJMEDIA_FRAME_TYPE_NONE


@dataclass
class SessionMedia:
    """What one session wants connected; re-applied after every media update."""

    players: dict[str, Player] = field(default_factory=dict)
    recorders: dict[str, tuple[pj.AudioMediaRecorder, str]] = field(default_factory=dict)
    taps: dict[str, Tap] = field(default_factory=dict)
    bridged: set[str] = field(default_factory=set)
    muted: bool = False
    dtmf_until: float = 0.0  # monotonic time our RFC 2833 digits are sent by

    def needs_clock(self, now: float) -> bool:
        """Whether this session's media flows through the bridge's tick now.

        Sending RTP (prompts, music, bridged audio, our digits) and reading it (recorders,
        taps, bridged audio) happen on the tick; receiving digits does not."""
        return bool(self.players or self.recorders or self.taps or self.bridged) or \
            now < self.dtmf_until


def audio_status(call: pj.Call) -> int:
    """Status of the call's first audio stream, or NONE when it has none.

    Keep ``info`` in a local: iterating ``call.getInfo().media`` directly walks
    a vector owned by an already-freed temporary and reads garbage.
    """
    info = call.getInfo()
    for media in info.media:
        if media.type == pj.PJMEDIA_TYPE_AUDIO:
            return int(media.status)
    return int(pj.PJSUA_CALL_MEDIA_NONE)


# Media states in which the call has a conference port: in conversation (active, or
# held by the far end), and held by us (sendonly: what we play, music on hold, still
# goes out, but a bridged peer's voice must not).
TALKING = (pj.PJSUA_CALL_MEDIA_ACTIVE, pj.PJSUA_CALL_MEDIA_REMOTE_HOLD)
WITH_PORT = (*TALKING, pj.PJSUA_CALL_MEDIA_LOCAL_HOLD)


def call_audio(calls: Mapping[str, pj.Call], session_id: str,
               states: tuple[int, ...] = WITH_PORT) -> pj.AudioMedia | None:
    """The call's conference port while its media is in one of ``states`` (a hold from
    both ends, inactive, has no port)."""
    call = calls.get(session_id)
    if call is None or audio_status(call) not in states:
        return None
    try:
        return call.getAudioMedia(-1)
    except pj.Error:  # no slot in this state
        return None


def apply_links(
    calls: Mapping[str, pj.Call], wanted: Mapping[str, SessionMedia], session_id: str
) -> None:
    """Connect the session's players, recorders, taps and bridge peers.

    Why "desired links": a call's conference slot only exists while it has media
    (``WITH_PORT``), and a re-INVITE (hold/resume) replaces it. So each operation
    records what the session wants in its ``SessionMedia`` and this (re)connects
    everything whenever the call gets a port; ``startTransmit`` is idempotent. A
    player left on a replaced port is never pulled again, so its end never comes.
    While we hold the call, a bridged peer's voice is not linked to it.
    """
    media = wanted.get(session_id)
    audio = call_audio(calls, session_id)
    if media is None or audio is None:
        return
    for player in media.players.values():
        player.startTransmit(audio)
    for recorder, _path in media.recorders.values():
        audio.startTransmit(recorder)
    for tap in media.taps.values():
        audio.startTransmit(tap)
    held = call_audio(calls, session_id, TALKING) is None  # by us: the conversation waits
    for peer in () if held else media.bridged:
        peer_audio = call_audio(calls, peer, TALKING)
        if peer_audio is not None:
            audio.startTransmit(peer_audio)
            peer_audio.startTransmit(audio)
    audio.adjustRxLevel(0.0 if media.muted else 1.0)
