"""The `fetch` node: an HTTP lookup the runtime performs while the call waits.

Entering it renders the URL (caller values quoted into path and query, lookups/urls.py)
and the body, emits a Fetch and starts a timer of the statement's timeout; the timer's
token is the request's id. The FetchResult that carries that id stores the variables
and takes `ok` or `failed`; the timer firing first takes `timeout`, and the late result
is then stale (its id is no longer the live timer's) and ignored. A branch not written
continues at the next statement, as for transfer and dial.
"""

from __future__ import annotations

import datetime as dt

from .. import plan as p
from ..lookups.urls import render_url
from ..plan.labels import Outcome
from ..templates import render
from . import commands as cmd
from . import events as ev
from .state import Cursor, Phase, Timer
from .walker import Walker

WAIT = -1  # as in actions.py: the call now waits at this node


def _take(m: Walker, c: Cursor, node: p.Node, label: Outcome, now: dt.datetime) -> None:
    m.advance(c, node.branch(label) if node.has_branch(label) else node.next, now)


def _forget(c: Cursor, var: str) -> None:
    """Drop the variables an earlier fetch into `var` left, so no stale value remains."""
    for name in [n for n in c.vars if n == var or n.startswith(var + ".")]:
        del c.vars[name]


def _body(m: Walker, c: Cursor, action: p.Fetch, now: dt.datetime
          ) -> tuple[tuple[str, str], ...]:
    env = m.env(c, now)
    rendered = []
    for key, template in action.body:
        text, problem = render(template, env)
        if problem:
            c.emit(cmd.Log("warning", f"fetch body `{key}`: {problem}"))
        rendered.append((key, text))
    return tuple(rendered)


def enter_fetch(m: Walker, c: Cursor, node: p.Node, now: dt.datetime) -> int | None:
    action = node.action
    assert isinstance(action, p.Fetch)
    url, problem = render_url(action.url, m.env(c, now))  # may read the last result
    body = _body(m, c, action, now)
    _forget(c, action.var)
    if url is None:
        c.emit(cmd.Log("warning", problem or "refused url"))
        if action.status_var is not None:
            c.vars[action.status_var] = 0
        return node.branch(Outcome.FAILED) if node.has_branch(Outcome.FAILED) else node.next
    c.start_timer(Timer.FETCH, action.timeout)
    request = c.timers[Timer.FETCH]
    c.emit(cmd.Fetch(request, action.var, url, action.method, action.timeout, action.headers,
                     body, action.body_kind))
    c.phase = Phase.FETCHING
    return WAIT


def on_fetch(m: Walker, c: Cursor, node: p.Node, event: ev.Event, now: dt.datetime) -> None:
    action = node.action
    assert isinstance(action, p.Fetch)
    if isinstance(event, ev.TimerFired):  # the core matched it to our live FETCH timer
        c.emit(cmd.Log("warning", f"fetch {action.var}: no answer in {action.timeout:g}s"))
        if action.status_var is not None:
            c.vars[action.status_var] = 0
        _take(m, c, node, Outcome.TIMEOUT, now)
    elif isinstance(event, ev.FetchResult) and c.timers.get(Timer.FETCH) == event.request:
        c.cancel_timer(Timer.FETCH)
        if action.status_var is not None:
            c.vars[action.status_var] = event.status
        if event.outcome == Outcome.OK:
            c.vars.update(event.values)
            _take(m, c, node, Outcome.OK, now)
        else:
            c.emit(cmd.Log("warning", f"fetch {action.var} failed: {event.problem}"))
            _take(m, c, node, Outcome.FAILED, now)
