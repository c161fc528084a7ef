"""Media operations on the pjsua2 thread: play, record, tap, bridge, mute.

Each operation records what the session wants in its ``SessionMedia`` and
then :func:`engine.pjsip.media.apply_links` (re)connects it; the hub re-applies
the same links whenever a call's media becomes active again.
"""

from __future__ import annotations

import time

import pjsua2 as pj

from engine.pjsip.hub import Hub
from engine.pjsip.media import Player, Tap, call_audio
from engine.pjsip.player_check import length_seconds, log_if_overdue
from engine.signals import AudioFrameSignal


def play(hub: Hub, session_id: str, playback_id: str, path: str, loop: bool) -> None:
    """Start a WAV prompt (or looping hold music) towards the far end."""
    media = hub.media[session_id] if session_id in hub.calls else None
    if media is None:
        hub.call(session_id)  # raises UnknownSession
        return

    def on_eof() -> None:
        if not loop:
            hub.post(lambda: hub.release_player(session_id, playback_id, stopped=False))

    player = Player(on_eof)
    player.createPlayer(path, 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
    if not loop:
        player.due = time.monotonic() + length_seconds(player)
    media.players[playback_id] = player
    hub.relink(session_id)


def stop_play(hub: Hub, session_id: str, playback_id: str) -> None:
    media = hub.media.get(session_id)
    player = media.players.get(playback_id) if media is not None else None
    if player is not None:  # a prompt stopped because its end never came says why
        log_if_overdue(session_id, playback_id, player, hub.calls.get(session_id),
                       hub.clock.running, player.due, time.monotonic())
        del player
    hub.release_player(session_id, playback_id, stopped=True)


def record(hub: Hub, session_id: str, recording_id: str, path: str) -> None:
    """Record what the far end sends into a WAV file (closed on stop/hangup)."""
    hub.call(session_id)
    recorder = pj.AudioMediaRecorder()
    recorder.createRecorder(path)
    hub.media[session_id].recorders[recording_id] = (recorder, path)
    hub.relink(session_id)


def stop_record(hub: Hub, session_id: str, recording_id: str) -> None:
    hub.release_recorder(session_id, recording_id)


def tap(hub: Hub, session_id: str, tap_id: str) -> None:
    """Stream received 20 ms PCM frames to the event loop (speech recognition)."""
    hub.call(session_id)
    emit = hub.emit

    def on_frame(pcm: bytes) -> None:
        emit(AudioFrameSignal(session_id, tap_id, pcm))

    port = Tap(on_frame)
    port.open(f"tap-{tap_id}")
    hub.media[session_id].taps[tap_id] = port
    hub.relink(session_id)


def untap(hub: Hub, session_id: str, tap_id: str) -> None:
    media = hub.media.get(session_id)
    if media is not None:
        media.taps.pop(tap_id, None)
        hub.clock.run()  # the tap's port is removed on the bridge's tick


def bridge(hub: Hub, first: str, second: str) -> None:
    """Cross-connect two sessions' audio (both directions)."""
    hub.call(first)
    hub.call(second)
    hub.media[first].bridged.add(second)
    hub.media[second].bridged.add(first)
    hub.relink(first)


def unbridge(hub: Hub, first: str, second: str) -> None:
    for a, b in ((first, second), (second, first)):
        media = hub.media.get(a)
        if media is not None:
            media.bridged.discard(b)
    hub.clock.run()  # the bridge applies the disconnection on its tick
    a_audio, b_audio = call_audio(hub.calls, first), call_audio(hub.calls, second)
    if a_audio is not None and b_audio is not None:
        a_audio.stopTransmit(b_audio)
        b_audio.stopTransmit(a_audio)


def mute(hub: Hub, session_id: str, muted: bool) -> None:
    """Silence what we send to the far end (players and bridge included)."""
    hub.call(session_id)
    hub.media[session_id].muted = muted
    hub.relink(session_id)
