"""Menu, collect and listen at run time: prompt, barge-in, timers, digits, speech, retries.

One attempt: play the prompt (with barge-in, a digit or speech stops it); when it
ends, the `timeout` timer waits for the first digit or speech; each digit restarts
the timer with `interdigit`. A failure (noinput, nomatch) uses up one attempt; the
failure that uses up the last one runs `exhausted` instead. Only a fresh entry into
the node resets the count: `retry` keeps it.
"""

from __future__ import annotations

import datetime as dt

from .. import plan as p
from ..plan.labels import Key, Outcome, Word
from . import commands as cmd
from . import events as ev
from .state import Cursor, Phase, Timer
from .voices import language_of, speak
from .walker import Walker

MAX_UTTERANCE = 20.0  # seconds from the start of speech to the recognizer's result
NOT_INTERRUPTIBLE = "the prompt playing cannot be interrupted (barge_in false)"


def phrases(node: p.Node) -> tuple[str, ...]:
    if isinstance(node.action, p.Listen):
        return node.action.phrases
    return tuple(label.text for label, _ in node.branches if isinstance(label, Word))


def begin(machine: Walker, cursor: Cursor, node: p.Node, now: dt.datetime,
          fresh: bool) -> None:
    action = node.action
    assert isinstance(action, p.Menu | p.Collect | p.Listen)
    if fresh:
        cursor.attempts = 0
    cursor.digits, cursor.node = "", node.id
    words = phrases(node)
    if words:
        cursor.emit(cmd.StartListening(words))
    prompt = action.input.prompt
    typed, cursor.typeahead = cursor.typeahead, ""
    if typed and (isinstance(action, p.Listen) or (prompt is not None
                                                   and not action.input.barge_in)):
        cursor.drop_digits(typed, "typed ahead, but " + ("a listen came next" if isinstance(
            action, p.Listen) else NOT_INTERRUPTIBLE))
    elif typed:  # the caller answered already: no prompt, the digits are the input
        _await_input(cursor, action, wait_for_first=False)
        _type_in(machine, cursor, node, typed, now)
        return
    if prompt is None:
        _await_input(cursor, action)
        return
    cursor.phase = Phase.PROMPT
    if prompt.sound is not None:
        cursor.emit(cmd.Play((prompt.sound,), barge_in=action.input.barge_in,
                             language=language_of(cursor, prompt.voice, machine.env(cursor, now))))
    else:
        speak(machine, cursor, now, prompt.text or "", prompt.voice,
              barge_in=action.input.barge_in, what="prompt")


def _await_input(cursor: Cursor, action: p.Menu | p.Collect | p.Listen,
                 wait_for_first: bool = True) -> None:
    """Input phase: `timeout` waits for the first digit or speech (not on barge-in:
    then input has already begun); `overall` caps the whole collect from here."""
    cursor.phase = Phase.INPUT
    if wait_for_first:
        cursor.start_timer(Timer.INPUT, action.input.timeout)
    if isinstance(action, p.Collect) and action.overall is not None:
        cursor.start_timer(Timer.OVERALL, action.overall)


def on_event(machine: Walker, cursor: Cursor, node: p.Node, event: ev.Event,
             now: dt.datetime) -> None:
    action = node.action
    assert isinstance(action, p.Menu | p.Collect | p.Listen)
    if cursor.phase == Phase.PROMPT:
        if isinstance(event, ev.PromptFinished):
            _await_input(cursor, action)
            return
        if not isinstance(event, ev.Digit | ev.SpeechStarted | ev.SpeechResult):
            return
        if not action.input.barge_in:  # without barge-in, input during the prompt is
            if isinstance(event, ev.Digit):  # discarded (logged and counted)
                cursor.drop_digits(event.key, NOT_INTERRUPTIBLE)
            return
        cursor.emit(cmd.StopPrompt())
        cursor.stopped_prompts += 1  # its PromptFinished will still come: see core.step
        _await_input(cursor, action, wait_for_first=False)
    if cursor.phase != Phase.INPUT:
        return
    if isinstance(event, ev.Digit):
        _digit(machine, cursor, node, event.key, now)
    elif isinstance(event, ev.SpeechStarted):
        # The recognizer now owes a SpeechResult; should it never come, give up later.
        cursor.start_timer(Timer.INPUT, MAX_UTTERANCE)
    elif isinstance(event, ev.SpeechResult):
        _speech(machine, cursor, node, event, now)
    elif isinstance(event, ev.TimerFired):
        _timeout(machine, cursor, node, now)


def _type_in(machine: Walker, cursor: Cursor, node: p.Node, typed: str,
             now: dt.datetime) -> None:
    """Digits typed ahead, one by one, while this input takes them. Before each, the rest
    waits in `typeahead`, so should the digit complete the input, whatever comes next
    takes it (or drops it); if the digit did not end the attempt, the rest is ours."""
    while typed:
        key, typed = typed[0], typed[1:]
        cursor.typeahead = typed
        _digit(machine, cursor, node, key, now)
        if cursor.ended or cursor.node != node.id or cursor.phase != Phase.INPUT \
                or cursor.typeahead != typed:
            return
        cursor.typeahead = ""


def _digit(machine: Walker, cursor: Cursor, node: p.Node, key: str, now: dt.datetime) -> None:
    action = node.action
    cursor.cancel_timer(Timer.INPUT)
    if isinstance(action, p.Listen):
        fail(machine, cursor, node, Outcome.NOMATCH, now)
    elif isinstance(action, p.Collect):
        if key in action.terminators:
            _complete_digits(machine, cursor, node, now)
            return
        cursor.digits += key
        if len(cursor.digits) >= action.max_digits:
            _complete_digits(machine, cursor, node, now)
        else:
            cursor.start_timer(Timer.INPUT, action.input.interdigit)
    else:
        assert isinstance(action, p.Menu)
        cursor.digits += key
        keys = [label.digits for label, _ in node.branches if isinstance(label, Key)]
        longer = [k for k in keys if k.startswith(cursor.digits) and k != cursor.digits]
        if longer:
            cursor.start_timer(Timer.INPUT, action.input.interdigit)
        elif cursor.digits in keys:
            choose(machine, cursor, node, Key(cursor.digits), now)
        else:
            fail(machine, cursor, node, Outcome.NOMATCH, now)


def _timeout(machine: Walker, cursor: Cursor, node: p.Node, now: dt.datetime) -> None:
    action = node.action
    if not cursor.digits:
        fail(machine, cursor, node, Outcome.NOINPUT, now)
    elif isinstance(action, p.Collect):
        _complete_digits(machine, cursor, node, now)
    elif node.has_branch(Key(cursor.digits)):
        choose(machine, cursor, node, Key(cursor.digits), now)
    else:
        fail(machine, cursor, node, Outcome.NOMATCH, now)


def _complete_digits(machine: Walker, cursor: Cursor, node: p.Node, now: dt.datetime) -> None:
    action = node.action
    assert isinstance(action, p.Collect)
    if len(cursor.digits) < action.min_digits:
        fail(machine, cursor, node, Outcome.NOMATCH if cursor.digits else Outcome.NOINPUT, now)
        return
    cursor.vars[action.var] = cursor.digits
    succeed(machine, cursor, node, now)


def _speech(machine: Walker, cursor: Cursor, node: p.Node, event: ev.SpeechResult,
            now: dt.datetime) -> None:
    action = node.action
    assert isinstance(action, p.Menu | p.Listen | p.Collect)
    text = " ".join(event.text.lower().split())
    confident = event.confidence >= getattr(action, "confidence", 0.0)
    if not text:
        fail(machine, cursor, node, Outcome.NOINPUT, now)
    elif isinstance(action, p.Menu) and confident and node.has_branch(Word(text)):
        choose(machine, cursor, node, Word(text), now)
    elif isinstance(action, p.Listen) and confident and text in action.phrases:
        cursor.vars[action.var] = text
        succeed(machine, cursor, node, now)
    else:
        fail(machine, cursor, node, Outcome.NOMATCH, now)


def _leave(cursor: Cursor, node: p.Node) -> None:
    for role in (Timer.INPUT, Timer.OVERALL):
        cursor.cancel_timer(role)
    if phrases(node):
        cursor.emit(cmd.StopListening())


def choose(machine: Walker, cursor: Cursor, node: p.Node, label: p.Label, now: dt.datetime) -> None:
    _leave(cursor, node)
    machine.advance(cursor, node.branch(label), now)


def succeed(machine: Walker, cursor: Cursor, node: p.Node, now: dt.datetime) -> None:
    _leave(cursor, node)
    target = node.branch(Outcome.OK) if node.has_branch(Outcome.OK) else node.next
    machine.advance(cursor, target, now)


def fail(machine: Walker, cursor: Cursor, node: p.Node, kind: Outcome, now: dt.datetime) -> None:
    """A noinput or nomatch: its handler, `exhausted` after the last attempt, or defaults."""
    action = node.action
    assert isinstance(action, p.Menu | p.Collect | p.Listen)
    _leave(cursor, node)
    cursor.attempts += 1
    if cursor.attempts >= action.input.attempts:
        if node.has_branch(Outcome.EXHAUSTED):
            machine.advance(cursor, node.branch(Outcome.EXHAUSTED), now)
        else:
            cursor.emit(cmd.Log("info", f"no valid input after {cursor.attempts} attempts"))
            machine.end(cursor, cmd.Hangup("normal", 480))
    elif node.has_branch(kind):
        machine.advance(cursor, node.branch(kind), now)
    else:
        begin(machine, cursor, node, now, fresh=False)
