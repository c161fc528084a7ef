"""An in-memory Stack: unit tests of the manager and the executor play the far end.

Why: the real stack (pjsua2, SIPp, subprocesses) proves behaviour on the wire but
takes minutes; the manager and the dialplan executor above it see only the
``engine.stack.Stack`` surface, so a stack that keeps calls in memory and emits
the adapter's signals in the adapter's order runs them in milliseconds. It never
replaces a SIP test: it makes the layers above testable in process.

Usage (the test is the caller, and every party the engine dials)::

    stack = MemoryStack(on_dial=lambda uri: 200)   # dialled legs answer at once
    manager = (SessionManagerBuilder().with_stack(stack)
               .with_handler(handler).strict().build())
    await manager.start()
    caller, wire = stack.far_end, stack.wire
    sid = caller.offer_call("sip:alice@127.0.0.1", "sip:100@127.0.0.1")
    await wire.until(lambda: wire.legs[sid].state == "connected")
    caller.press(sid, "12#")                 # DTMF
    caller.speak(sid, pcm)                   # audio: to taps and recordings
    caller.hang_up(sid)                      # BYE (or CANCEL while ringing)
    await manager.stop()                     # strict: re-raises an illegal transition

What the engine did is observable on ``stack.wire``:

- ``legs[sid]``: ``state`` (ringing/connected/ended), ``response`` (the status an
  inbound call was answered or rejected with), ``ended_by`` (engine/far end);
- ``actions``, or ``did(verb, sid)``: every request in order, as ``Action(verb,
  session_id, detail)`` with verbs dial (from, to), answer (status, reason),
  hangup (status, reason, contact), hold, resume, transfer (target),
  allow_refer, dtmf (digits, method), play (id, path, loop), stop_play, record
  (id, path), stop_record, tap, untap, bridge (other), unbridge, mute;
- ``played(sid)``: prompt paths; ``bridges``: live bridged pairs;
- ``until(condition)``: wait for a condition (on the wire or the engine).

The far end (``stack.far_end``): ``offer_call``, ``press``, ``speak``,
``hang_up``, ``pick_up`` / ``refuse`` (a dialled leg), ``hold``, ``go_silent``
(no more RTP), ``refer`` (a REFER to the engine), ``transfer_result``,
``end_prompts``. Knobs: ``on_dial`` (URI -> final status, None: keep ringing),
``finish_prompts`` (False: prompts play until ``end_prompts`` or hangup),
``transfer_status`` (None: the test sends ``transfer_result``), ``bridge_slots``.
Recordings are written as 8 kHz WAV files of what the far end ``speak``-s.
"""

from engine.testing.far_end import FarEnd
from engine.testing.stack import MemoryStack
from engine.testing.wire import Action, Leg, Wire

__all__ = ["Action", "FarEnd", "Leg", "MemoryStack", "Wire"]
