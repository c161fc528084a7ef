"""Lowering of menu, collect and listen: prompt, timing, retry counter and handlers, their
own and those they inherit (handlers.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import plan
from ..diagnostics import Report
from ..plan import Key, Outcome, Word
from ..syntax import ast
from ..syntax.exprs import Literal
from .checks import check_template
from .options import voice_of
from .table import Context, Lowering, Next

INPUT_EVENTS = {
    "menu": (Outcome.NOINPUT, Outcome.NOMATCH, Outcome.EXHAUSTED),
    "collect": (Outcome.OK, Outcome.NOINPUT, Outcome.NOMATCH, Outcome.EXHAUSTED),
    "listen": (Outcome.OK, Outcome.NOINPUT, Outcome.NOMATCH, Outcome.EXHAUSTED),
}
DTMF_KEYS = set("0123456789*#")
DEFAULTS = {"timeout": 5.0, "interdigit": 3.0, "attempts": 3, "barge_in": True}


def check_branch_keys(report: Report, action: ast.Action, branch: ast.Branch,
                      events: tuple[Outcome, ...], seen: dict[plan.Label, Any]
                      ) -> list[plan.Label]:
    """The labels of a branch's keys (`key 1`, `word sales`, `noinput`), checked."""
    is_menu = action.verb == "menu"
    labels: list[plan.Label] = []
    for key in branch.keys:
        allowed = key.text in events if key.kind == "event" else is_menu
        if not allowed:
            report.emit("E406", key.span, verb=action.verb, event=key.text,
                        allowed=", ".join(events))
            continue
        label: plan.Label = Outcome(key.text) if key.kind == "event" else Key(key.text)
        if key.kind == "word":
            label = Word(" ".join(key.text.lower().split()))
            if not label.text:
                report.emit("E405", key.span, key='""', detail="a spoken option is empty")
                continue
        if label in seen or label in labels:
            report.emit("E407", key.span, key=key.text, verb=action.verb)
            continue
        labels.append(label)
    return labels


def _prompt(lowerer: Lowering, action: ast.Action, options: dict[str, Any],
            voice: plan.Voice) -> plan.Prompt | None:
    texts = [a for a in action.args if isinstance(a, Literal)]
    text = str(texts[0].value) if texts else None
    sound = options.get("sound")
    if text is not None and sound is not None:
        lowerer.report.emit("E416", action.span, verb=action.verb,
                            detail="a spoken prompt and `sound` cannot both be given")
    if text is not None:
        check_template(text, texts[0].span, lowerer.symbols.variables, lowerer.report)
    if text is None and sound is None:
        return None
    return plan.Prompt(text, sound, voice_of(options, voice))


def lower_input(lowerer: Lowering, action: ast.Action, options: dict[str, Any], cont: Next,
                ctx: Context) -> Next:
    """A menu, collect or listen: its `options` already checked against the verb's table."""
    node_id = lowerer.table.reserve()
    inner = replace(ctx, retry_target=node_id)
    branches: dict[plan.Label, Next] = {}
    for branch in action.branches or ():
        labels = check_branch_keys(lowerer.report, action, branch, INPUT_EVENTS[action.verb],
                                   branches)
        entry = lowerer.block(branch.body, cont, inner)
        branches.update(dict.fromkeys(labels, entry))
    _inherit(lowerer, INPUT_EVENTS[action.verb], branches, cont, inner)
    timing = {name: options.get(name, default) for name, default in DEFAULTS.items()}
    inputs = plan.Input(_prompt(lowerer, action, options, ctx.voice), **timing)
    node = _BUILDERS[action.verb](lowerer, action, options, inputs, branches)
    return lowerer.table.put(node_id, node, cont, action.span, tuple(branches.items()))


def _inherit(lowerer: Lowering, events: tuple[Outcome, ...], branches: dict[plan.Label, Next],
             cont: Next, inner: Context) -> None:
    """The shared handlers (handlers.py) for the events this statement does not handle
    itself; a body that handles several of them is lowered once."""
    taken: dict[int, tuple[ast.Branch, list[Outcome]]] = {}
    for event, branch in inner.inherited:
        if event in events and event not in branches:
            taken.setdefault(id(branch), (branch, []))[1].append(event)
    bare = replace(inner, inherited=())
    for branch, labels in taken.values():
        entry = lowerer.block(branch.body, cont, bare)
        branches.update(dict.fromkeys(labels, entry))


def _menu(lowerer: Lowering, action: ast.Action, options: dict[str, Any],
          inputs: plan.Input, branches: dict[plan.Label, Next]) -> plan.Action:
    if not any(isinstance(label, Key | Word) for label in branches):
        lowerer.report.emit("E414", action.span, verb="menu",
                            what="at least one option, such as `1 -> sales`")
    return plan.Menu(inputs, options.get("confidence", 0.0))


def _collect(lowerer: Lowering, action: ast.Action, options: dict[str, Any],
             inputs: plan.Input, branches: dict[plan.Label, Next]) -> plan.Action:
    var = action.args[0]
    assert isinstance(var, ast.Name)
    low, high = options.get("digits", (1, 20))
    until = options.get("until", "#")
    bad = set(until) - DTMF_KEYS
    if bad:
        lowerer.report.emit("E405", action.span, key=until,
                            detail="a terminator is made of DTMF keys 0-9, * and #")
    return plan.Collect(var.text, inputs, low, high, until, options.get("overall"))


def _listen(lowerer: Lowering, action: ast.Action, options: dict[str, Any],
            inputs: plan.Input, branches: dict[plan.Label, Next]) -> plan.Action:
    var = action.args[0]
    assert isinstance(var, ast.Name)
    phrases = options.get("phrases", ())
    if not phrases:
        lowerer.report.emit("E414", action.span, verb="listen",
                            what='`phrases` to listen for, such as `phrases "yes", "no"`')
    words = tuple(" ".join(p.lower().split()) for p in phrases)
    return plan.Listen(var.text, inputs, words, options.get("confidence", 0.0))


_BUILDERS = {"menu": _menu, "collect": _collect, "listen": _listen}
