"""What a player's state says when it is stopped: a diagnosis for issue 15.

Why: a player's end (``onEof2``) is only raised when the bridge pulls its last frame,
so a prompt whose end never comes is either a player the bridge does not pull (no
listener: never connected to its call, or its call's port replaced), a bridge that does
not tick, or an end raised and then lost on its way (pjmedia's event thread, our
queue). The runtime stops a prompt whose end is overdue (``dialplan_prompts_overdue``);
at that moment the player's position and links tell these cases apart, so the stop
says which one it was instead of leaving a guess. Ordinary stops (barge-in, hangup:
a connected player part-way through) say nothing.
"""

from __future__ import annotations

import logging

import pjsua2 as pj

from engine.pjsip.media import audio_status, call_audio

LOG = logging.getLogger("engine.pjsip")


def stuck_reason(player: pj.AudioMediaPlayer, call: pj.Call | None, clock_running: bool) -> str:
    """Why this player could not have ended by itself ("" when it could: an ordinary
    stop). Read on the pjsua2 thread before the player is released."""
    try:
        position, size = player.getPos(), player.getInfo().sizeSamples
        listeners = list(player.getPortInfo().listeners)
    except pj.Error as error:
        return f"its state cannot be read ({error.reason})"
    audio = call_audio({"call": call}, "call") if call is not None else None
    status = audio_status(call) if call is not None else int(pj.PJSUA_CALL_MEDIA_NONE)
    where = f"at sample {position} of {size}, sending to slots {listeners}"
    if audio is not None and audio.getPortId() not in listeners:
        return f"not connected to its call's port {audio.getPortId()} ({where})"
    if not clock_running:
        return f"the bridge clock is stopped ({where}, call media status {status})"
    if size and position >= size:
        return f"its end was reached but never reported ({where})"
    return ""


def log_if_stuck(session_id: str, playback_id: str, player: pj.AudioMediaPlayer,
                 call: pj.Call | None, clock_running: bool) -> None:
    reason = stuck_reason(player, call, clock_running)
    if reason:
        LOG.warning("playback %s of %s stopped: %s", playback_id, session_id, reason)
