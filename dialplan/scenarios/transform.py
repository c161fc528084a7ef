"""Parse tree to model: each rule becomes a frozen record carrying its position.

Checks the grammar cannot express live here too (keys that are not DTMF, a time that
cannot be read, a regular expression that does not compile), each raised as a
positioned ScenarioError.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from lark import Token, Transformer, Tree, v_args
from lark.tree import Meta

from ..loader import display_path
from ..lookups.mocks import HttpMock
from ..sim.clock import BadInstant, parse_instant
from ..syntax.literals import parse_duration, parse_number, unescape
from . import model as m

DEFAULT_CALLER = "5551234"
KEYS = re.compile(r"[0-9*#]+")


class ScenarioError(Exception):
    """A scenario file that cannot be run, with where the problem is."""

    def __init__(self, pos: m.Pos, message: str) -> None:
        super().__init__(f"{pos}: {message}")
        self.pos = pos
        self.message = message


def _string(token: Token) -> str:
    return unescape(str(token)[1:-1])[0]


def _text(token: Token | None) -> str | None:
    if token is None:
        return None
    return _string(token) if token.type == "STRING" else str(token)


def _value(token: Token) -> str | int | float | bool:
    """An expected value: a string, true or false, or a number."""
    if token.type == "STRING":
        return _string(token)
    if token.type in ("TRUE", "FALSE"):
        return token.type == "TRUE"
    return parse_number(str(token))


@v_args(meta=True)
class FileBuilder(Transformer[Token, Any]):
    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text

    def build(self, tree: Tree[Token]) -> m.ScenarioFile:
        items = self.transform(tree)
        plans = [item for item in items if isinstance(item, tuple)]
        scenarios = tuple(item for item in items if isinstance(item, m.Scenario))
        if len(plans) > 1:
            raise ScenarioError(plans[1][0], "a second `plan` line: one plan per file")
        written = plans[0][1] if plans else Path(self.path).stem + ".dialplan"
        plan_path = display_path(Path(self.path).parent / written)
        return m.ScenarioFile(self.path, plan_path, scenarios)

    # -- helpers ----------------------------------------------------------------------
    def _pos(self, meta: Meta) -> m.Pos:
        return m.Pos(self.path, meta.line, meta.column)

    def _step(self, meta: Meta) -> dict[str, Any]:
        source = " ".join(self.text[meta.start_pos:meta.end_pos].split())
        return {"pos": self._pos(meta), "source": source}

    # -- file ---------------------------------------------------------------------------
    def start(self, meta: Meta, items: list[Any]) -> list[Any]:
        return items

    def plan(self, meta: Meta, children: list[Token]) -> tuple[m.Pos, str]:
        return self._pos(meta), _string(children[1])

    def scenario(self, meta: Meta, children: list[Any]) -> m.Scenario:
        _, name, _, *rest, _ = children
        mocks = tuple(item for item in rest if isinstance(item, HttpMock))
        call, *steps = rest[len(mocks):]
        return m.Scenario(self._pos(meta), _string(name), call, tuple(steps), mocks)

    def http(self, meta: Meta, children: list[Any]) -> HttpMock:
        settings: dict[str, Any] = {"url": _string(children[1])}
        for option in children[2:]:
            settings.update(option)
        return HttpMock(**settings)

    def http_option(self, meta: Meta, children: list[Token]) -> dict[str, Any]:
        word = children[0].type
        if word == "DOWN":
            return {"down": True}
        if word == "STATUS":
            return {"status": int(parse_number(str(children[1])))}
        if word == "DELAY":
            return {"delay": parse_duration(str(children[1]))}
        return {"body": _string(children[1])}

    def call(self, meta: Meta, children: list[Token | None]) -> m.CallLine:
        _, number, _, extension, caller, _, at, _, prompts = children
        instant = None
        if at is not None:
            try:
                instant = parse_instant(_string(at))
            except BadInstant as error:
                raise ScenarioError(m.Pos(self.path, at.line or 0, at.column or 0),
                                    str(error)) from None
        timing = "instant" if prompts is None else str(prompts)
        if prompts is not None and prompts.type == "DURATION":
            timing = f"{parse_duration(str(prompts)):g}s"
        return m.CallLine(self._pos(meta), _text(number) or "",
                          _text(caller) or DEFAULT_CALLER, instant, timing, extension is not None)

    # -- actions --------------------------------------------------------------------------
    def press(self, meta: Meta, children: list[Token]) -> m.Press:
        keys = _text(children[1]) or ""
        if not KEYS.fullmatch(keys):
            raise ScenarioError(self._pos(meta), f"`{keys}` are not DTMF keys: use 0-9, * and #")
        return m.Press(**self._step(meta), keys=keys)

    def say(self, meta: Meta, children: list[Token | None]) -> m.Say:
        confidence = children[3]
        return m.Say(**self._step(meta), words=_text(children[1]) or "",
                     confidence=float(confidence) if confidence is not None else 1.0)

    def wait(self, meta: Meta, children: list[Token]) -> m.Wait:
        return m.Wait(**self._step(meta), seconds=parse_duration(str(children[1])))

    def hang_up(self, meta: Meta, children: list[Token]) -> m.HangUp:
        return m.HangUp(**self._step(meta))

    def outcome(self, meta: Meta, children: list[Token]) -> m.Outcome:
        return m.Outcome(**self._step(meta), name=str(children[1]))

    # -- expectations ---------------------------------------------------------------------
    def expect(self, meta: Meta, children: list[Any]) -> m.Step:
        return dataclasses.replace(children[1], **self._step(meta))  # from `expect` on

    def hear(self, meta: Meta, children: list[Token | None]) -> m.ExpectHear:
        mode = str(children[1]) if children[1] is not None else "exactly"
        text = _text(children[2]) or ""
        if mode == "matching":
            try:
                re.compile(text)
            except re.error as error:
                raise ScenarioError(self._pos(meta), f"not a regular expression: {error}"
                                    ) from None
        language = _text(children[4]) if len(children) > 4 and children[4] is not None else None
        return m.ExpectHear(**self._step(meta), text=text, mode=mode, language=language)

    def play(self, meta: Meta, children: list[Token]) -> m.ExpectPlay:
        return m.ExpectPlay(**self._step(meta), sound=_string(children[1]))

    def state(self, meta: Meta, children: list[Token]) -> m.ExpectState:
        name = children[1]
        return m.ExpectState(**self._step(meta), name=str(name),
                             name_pos=m.Pos(self.path, name.line or 0, name.column or 0))

    def transfer(self, meta: Meta, children: list[Token]) -> m.ExpectRequest:
        return m.ExpectRequest(**self._step(meta), kind="transfer", targets=(_string(children[1]),))

    def dial(self, meta: Meta, children: list[Token]) -> m.ExpectRequest:
        targets = tuple(_string(c) for c in children[1:] if c.type == "STRING")
        return m.ExpectRequest(**self._step(meta), kind="dial", targets=targets)

    def queue(self, meta: Meta, children: list[Token]) -> m.ExpectRequest:
        return m.ExpectRequest(**self._step(meta), kind="queue", targets=(str(children[1]),))

    def var(self, meta: Meta, children: list[Token]) -> m.ExpectVar:
        return m.ExpectVar(**self._step(meta), name=str(children[1]), value=_value(children[3]))

    def fetch(self, meta: Meta, children: list[Token]) -> m.ExpectFetch:
        return m.ExpectFetch(**self._step(meta), url=_string(children[1]))

    def hangup(self, meta: Meta, children: list[Token | None]) -> m.ExpectHangup:
        return m.ExpectHangup(**self._step(meta), cause=_text(children[1]))

    def answered(self, meta: Meta, children: list[Token]) -> m.ExpectAnswered:
        return m.ExpectAnswered(**self._step(meta))

    def silence(self, meta: Meta, children: list[Token]) -> m.ExpectSilence:
        return m.ExpectSilence(**self._step(meta))

    def webhook(self, meta: Meta, children: list[Any]) -> m.ExpectWebhook:
        return m.ExpectWebhook(**self._step(meta), event=str(children[1]),
                               fields=tuple(children[2:]))

    def webhook_field(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return str(children[0]), _value(children[2])
