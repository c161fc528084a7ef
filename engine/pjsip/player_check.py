"""What a player's state says when it is stopped past its end: a diagnosis for issue 15.

Why: a player's end (``onEof2``) is only raised when the bridge pulls its last frame,
so a prompt whose end never comes is a player the bridge does not pull (no listener:
never linked to its call's port, or left on a port the call no longer has), a bridge
that does not tick, or an end raised and then lost on its way (pjmedia's event thread,
our queue, the batch). The runtime stops a prompt whose end is overdue
(``dialplan_prompts_overdue``); a stop that comes after the player's own length can
only be that one (a barge-in comes before the end), and at that moment the player's
links tell the cases apart, so the stop says which one it was.
"""

from __future__ import annotations

import logging
import math

import pjsua2 as pj

from engine.pjsip.media import call_audio

LOG = logging.getLogger("engine.pjsip")
LATE = 1.0  # s past a player's length: stopping it then is not a barge-in


def length_seconds(player: pj.AudioMediaPlayer) -> float:
    """The file's playing time (its samples at its own rate); inf when unknown."""
    try:
        rate = player.getPortInfo().format.clockRate
        return float(player.getInfo().sizeSamples) / rate if rate else math.inf
    except pj.Error:
        return math.inf


def stuck_reason(player: pj.AudioMediaPlayer, call: pj.Call | None, clock_running: bool) -> str:
    """Why a player past its length had not ended, from its links and the clock."""
    try:
        listeners = list(player.getPortInfo().listeners)
    except pj.Error as error:
        return f"its state cannot be read ({error.reason})"
    audio = call_audio({"call": call}, "call") if call is not None else None
    port = audio.getPortId() if audio is not None else None
    links = f"its port {player.getPortId()} sends to {listeners}, the call's port is {port}"
    if port is None:
        return f"its call had no bridge port ({links})"
    if port not in listeners:
        return f"it was not linked to its call ({links})"
    if not clock_running:
        return f"the bridge clock was stopped ({links})"
    return f"it was pulled but its end was not reported ({links})"


def log_if_overdue(session_id: str, playback_id: str, player: pj.AudioMediaPlayer,
                   call: pj.Call | None, clock_running: bool, due: float, now: float) -> None:
    """At a stop: warn with the reason when the stop comes ``LATE`` past the player's end."""
    if now > due + LATE:
        LOG.warning("playback %s of %s stopped %.1f s past its end: %s", playback_id,
                    session_id, now - due, stuck_reason(player, call, clock_running))
