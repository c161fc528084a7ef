"""Run-time behaviour of every node kind: what entering it emits, and how it reacts to
events while the call waits there. The tables at the end are the machine's dispatch."""

from __future__ import annotations

import datetime as dt

from .. import plan as p
from ..plan.labels import Outcome
from . import commands as cmd
from . import events as ev
from . import inputs
from .fetching import enter_fetch, on_fetch
from .state import Cursor, Phase, Timer
from .targets import resolve_target
from .voices import language_of, speak
from .walker import Walker

WAIT = -1  # returned by an enter handler: the call now waits at this node for an event
MAX_RUN_DEPTH = 64  # nested sub-flow calls; deeper is a flow calling itself without end
MAX_TYPEAHEAD = 20  # digits kept from prompts for the next menu or collect (collect's max)


def _wait_in(cursor: Cursor, phase: Phase) -> int:
    cursor.phase = phase
    return WAIT


# -- entering nodes -----------------------------------------------------------------
def enter_state(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Enter)
    c.flow, c.state = node.action.flow, node.action.state
    return node.next


def enter_answer(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    if not c.answered:
        c.emit(cmd.Answer())
        c.answered = True
    return node.next


def enter_ringing(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Ringing)
    c.emit(cmd.Ring(node.action.early_media))
    return node.next


def enter_play(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Play)
    language = language_of(c, node.action.voice, m.env(c, now))
    c.emit(cmd.Play(node.action.sounds, language=language))
    return _wait_in(c, Phase.PROMPT)


def enter_say(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    action = node.action
    assert isinstance(action, p.Say)
    speak(m, c, now, action.text, action.voice)
    return _wait_in(c, Phase.PROMPT)


def enter_input(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    inputs.begin(m, c, node, now, fresh=True)
    return WAIT


def enter_retry(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Retry)
    inputs.begin(m, c, m.plan.nodes[node.action.input_node], now, fresh=False)
    return WAIT


def enter_set(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.SetVar)
    failed = node.has_branch(Outcome.FAILED)
    if not m.assign(c, node.action.var, node.action.expr, now, failed):
        return node.branch(Outcome.FAILED) if failed else node.next
    return node.next


def enter_branch(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Branch)
    return node.branch(Outcome.TRUE if m.truth(c, node.action.condition, now) else Outcome.FALSE)


def enter_run(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    if len(c.stack) >= MAX_RUN_DEPTH:
        c.emit(cmd.Log("error", f"more than {MAX_RUN_DEPTH} nested `run`s: runaway recursion"))
        m.end(c, cmd.Hangup("failure", 500))
        return WAIT
    c.stack.append(node.next)
    return node.branch(Outcome.CALL)


def enter_return(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    if not c.stack:
        c.emit(cmd.Log("info", "`return` outside a sub-flow ends the call"))
    return None  # `advance` pops the stack, or hangs up when it is empty


def _targets(m: Walker, c: Cursor, templates: tuple[str, ...], now: dt.datetime,
             extension: bool = False) -> tuple[str, ...] | None:
    """Rendered and checked targets; None (after logging why) if any is refused."""
    resolved = []
    for template in templates:
        target, problem = resolve_target(template, m.env(c, now), extension)
        if target is None:
            c.emit(cmd.Log("warning", problem or "refused target"))
            return None
        resolved.append(target)
    return tuple(resolved)


def enter_transfer(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Transfer)
    targets = _targets(m, c, (node.action.target,), now)
    if targets is None:
        return node.branch(Outcome.FAILED) if node.has_branch(Outcome.FAILED) else node.next
    c.emit(cmd.Transfer(targets[0]))
    c.start_timer(Timer.TRANSFER, node.action.timeout)
    return _wait_in(c, Phase.TRANSFER)


def enter_dial(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    action = node.action
    assert isinstance(action, p.Dial)
    targets = _targets(m, c, action.targets, now, action.extension or bool(action.trunk))
    if targets is None:
        return node.branch(Outcome.FAILED) if node.has_branch(Outcome.FAILED) else node.next
    c.emit(cmd.Dial(targets, action.timeout, action.caller_id, action.extension,
                    action.trunk))
    return _wait_in(c, Phase.DIALING)


def enter_queue(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Enqueue)
    q = m.plan.queue_by_name[node.action.queue]
    c.emit(cmd.Enqueue(q.name, q.agents, q.music, q.max_wait, q.ring_timeout, q.strategy,
                       q.max_callers))
    return _wait_in(c, Phase.QUEUED)


def enter_record(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    action = node.action
    assert isinstance(action, p.Record)
    c.emit(cmd.StartRecording(action.var, action.max_seconds, action.beep))
    c.start_timer(Timer.RECORD, action.max_seconds)
    return _wait_in(c, Phase.RECORDING)


def enter_hangup(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Hangup)
    m.end(c, cmd.Hangup(node.action.cause, node.action.sip_status))
    return WAIT


def enter_wait(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    assert isinstance(node.action, p.Wait)
    c.start_timer(Timer.WAIT, node.action.seconds)
    return _wait_in(c, Phase.WAITING)


# -- events while waiting -------------------------------------------------------------
def on_prompt(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    """A play or say ends; a digit pressed meanwhile is kept for the next menu or collect
    (type-ahead: a prompt that started late must not eat the caller's answer)."""
    if isinstance(event, ev.PromptFinished):
        m.advance(c, node.next, now)
    elif isinstance(event, ev.Digit):
        if len(c.typeahead) < MAX_TYPEAHEAD:
            c.typeahead += event.key
        else:
            c.drop_digits(event.key, f"more than {MAX_TYPEAHEAD} digits typed ahead")


def on_wait(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    if isinstance(event, ev.TimerFired):
        m.advance(c, node.next, now)


def on_transfer(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    if isinstance(event, ev.TimerFired):  # no final answer in time: treat it as failed
        c.emit(cmd.Log("warning", "transfer got no final answer in time"))
        _outcome(m, c, node, Outcome.FAILED, now)
    elif isinstance(event, ev.TransferResult):
        c.cancel_timer(Timer.TRANSFER)
        if event.ok:  # the far end took the call: our leg ends here
            m.end(c, cmd.Hangup("normal", 480))
        else:
            _outcome(m, c, node, Outcome.FAILED, now)


def on_bridge(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    """Dial and queue: an outcome (once, while dialing or queued), then, if answered, the
    end of the bridge."""
    waiting = c.phase in (Phase.DIALING, Phase.QUEUED)
    if isinstance(event, ev.DialResult | ev.QueueResult) and waiting:
        label = Outcome(event.outcome)
        if label == Outcome.ANSWERED:
            c.phase = Phase.BRIDGED
            return
        if label == Outcome.UNAVAILABLE and not node.has_branch(label):
            label = Outcome.FAILED  # without its own branch, an unreachable party failed
        _outcome(m, c, node, label, now)
    elif isinstance(event, ev.BridgeEnded) and c.phase == Phase.BRIDGED:
        _outcome(m, c, node, Outcome.ANSWERED, now)


def _outcome(m: Walker, c: Cursor, node: p.Node, label: Outcome, now: dt.datetime) -> None:
    m.advance(c, node.branch(label) if node.has_branch(label) else node.next, now)


def on_record(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    action = node.action
    assert isinstance(action, p.Record)
    stop = isinstance(event, ev.TimerFired) or (
        isinstance(event, ev.Digit) and event.key in action.finish_keys)
    if isinstance(event, ev.Digit) and not (stop and c.phase == Phase.RECORDING):
        c.drop_digits(event.key, "not a finish key of a running `record`"
                      if c.phase == Phase.RECORDING else "the recording is already stopping")
    if stop and c.phase == Phase.RECORDING:
        c.cancel_timer(Timer.RECORD)
        c.emit(cmd.StopRecording())
        c.phase = Phase.FINISHING
    elif isinstance(event, ev.RecordingFinished):
        c.cancel_timer(Timer.RECORD)
        c.vars[action.var] = event.recording
        m.advance(c, node.next, now)


ENTER = {
    p.Enter: enter_state, p.Answer: enter_answer, p.Ringing: enter_ringing,
    p.Play: enter_play, p.Say: enter_say, p.Menu: enter_input, p.Collect: enter_input,
    p.Listen: enter_input, p.Retry: enter_retry, p.SetVar: enter_set,
    p.Branch: enter_branch, p.Run: enter_run, p.Return: enter_return,
    p.Transfer: enter_transfer, p.Dial: enter_dial, p.Enqueue: enter_queue,
    p.Record: enter_record, p.Hangup: enter_hangup, p.Wait: enter_wait,
    p.Fetch: enter_fetch,
}
TAKES_DIGITS = (p.Play, p.Say, p.Menu, p.Collect, p.Listen, p.Record)  # the others drop them
ON_EVENT = {
    p.Play: on_prompt, p.Say: on_prompt, p.Menu: inputs.on_event, p.Collect: inputs.on_event,
    p.Listen: inputs.on_event, p.Wait: on_wait,
    p.Transfer: on_transfer, p.Dial: on_bridge, p.Enqueue: on_bridge, p.Record: on_record,
    p.Fetch: on_fetch,
}
