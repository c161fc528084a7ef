"""Short texts for the picture: what a node does, in a few wrapped words, and how a
branch is labelled (`1`, `"sales"`, `noinput`)."""

from __future__ import annotations

import json
import textwrap

from .. import plan as p
from ..syntax.unparse import unparse

WIDTH = 28  # characters per line inside a node
MAX_LINES = 3


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def wrap(text: str) -> str:
    lines = textwrap.wrap(text, WIDTH, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1:]),
                                                          WIDTH, placeholder=" …")]
    return "\n".join(lines)


def _prompt(verb: str, prompt: p.Prompt | None) -> str:
    if prompt is None:
        return verb
    if prompt.sound is not None:
        return f"{verb} sound {quoted(prompt.sound)}"
    return f"{verb} {quoted(prompt.text or '')}"


def describe(action: p.Action) -> str:
    """`say "Welcome…"`, `menu "Press 1…"`, `queue support`, wrapped to fit a node."""
    match action:
        case p.Answer():
            text = "answer"
        case p.Ringing(early_media=early):
            text = "progress" if early else "ringing"
        case p.Play(sounds=sounds):
            text = "play " + ", ".join(quoted(s) for s in sounds)
        case p.Say(text=said):
            text = f"say {quoted(said)}"
        case p.Menu(input=given):
            text = _prompt("menu", given.prompt)
        case p.Collect(var=var, input=given):
            text = _prompt(f"collect {var}", given.prompt)
        case p.Listen(var=var, input=given):
            text = _prompt(f"listen {var}", given.prompt)
        case p.SetVar(var=var, expr=expr):
            text = f"set {var} = {unparse(expr)}"
        case p.Branch(condition=condition):
            text = f"{unparse(condition)} ?"
        case p.Transfer(target=target):
            text = f"transfer {target}"
        case p.Dial(targets=targets, extension=extension, trunk=trunk):
            kind = f"trunk {trunk} " if trunk else "extension " if extension else ""
            text = f"dial {kind}" + ", ".join(targets)
        case p.Enqueue(queue=queue):
            text = f"queue {queue}"
        case p.Record(var=var):
            text = f"record {var}"
        case p.Fetch(var=var, url=url, method=method):
            text = f"fetch {var} {method} {url}"
        case p.Hangup(cause=cause):
            text = "hangup" if cause == "normal" else f"hangup {cause}"
        case p.Wait(seconds=seconds):
            text = f"wait {seconds:g}s"
        case p.Run(flow=flow):
            text = f"run {flow}"
        case _:
            text = type(action).__name__.lower()
    return wrap(text)


def branch_label(label: p.Label) -> str:
    """Compiled branch labels as written: `key 1` is `1`, `word sales` is `"sales"`."""
    if isinstance(label, p.Key):
        return label.digits
    if isinstance(label, p.Word):
        return quoted(label.text)
    return str(label)
