"""Each call's path as structured log lines (JSON after the message), keyed by call id
(and the SIP Call-ID, to find a call seen on the wire): states entered, events,
commands, so one grep follows a call through the service.

Cheap on the hot path: nothing is built when INFO is off for `dialplan.calls`, and a
line's commands and events are encoded straight from their fields by one shared
encoder (nested records as objects, anything else JSON lacks as its text), the same
JSON `dataclasses.asdict` plus `json.dumps(default=str)` gave without asdict's deep
copies."""

from __future__ import annotations

import json
import logging
from dataclasses import fields, is_dataclass
from typing import Any

from ..machine import CallInfo, CallState
from ..machine import commands as cmd
from ..machine import events as ev

log = logging.getLogger("dialplan.calls")


def _record(item: Any) -> dict[str, Any]:
    """A dataclass instance's fields, by name, in declaration order (not copied)."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def _plain(value: Any) -> Any:
    """For the encoder: a nested record as an object, anything else as its text."""
    return _record(value) if is_dataclass(value) and not isinstance(value, type) else str(value)


_encode = json.JSONEncoder(ensure_ascii=False, default=_plain).encode


def _brief(item: Any) -> dict[str, Any]:
    data = _record(item) if is_dataclass(item) and not isinstance(item, type) else {}
    if isinstance(item, cmd.Fetch):  # what a lookup sends or gets is the caller's data
        data["body"] = [key for key, _ in item.body]
    elif isinstance(item, ev.FetchResult):
        data["values"] = len(item.values)
    return {"type": type(item).__name__, **data}


class CallLog:
    def __init__(self, call_id: str, version: str, sip_call_id: str = "") -> None:
        self.call_id, self.version, self.sip_call_id = call_id, version, sip_call_id
        self.where = ""

    def _line(self, what: str, **fields: Any) -> None:
        record = {"call": self.call_id, "version": self.version, "event": what, **fields}
        if self.sip_call_id:
            record["sip_call_id"] = self.sip_call_id
        log.info("%s %s", what, _encode(record))

    def started(self, info: CallInfo, state: CallState, commands: list[cmd.Command]) -> None:
        """The call's arrival, and what the flow did before its first wait."""
        if log.isEnabledFor(logging.INFO):
            self._line("call_started", caller=info.caller, called=info.called,
                       commands=[_brief(c) for c in commands if not isinstance(c, cmd.Log)])
        self._entered(state)

    def step(self, event: ev.Event, state: CallState, commands: list[cmd.Command]) -> None:
        if log.isEnabledFor(logging.INFO):
            self._line("event", input=_brief(event),
                       commands=[_brief(c) for c in commands if not isinstance(c, cmd.Log)])
        self._entered(state)

    def _entered(self, state: CallState) -> None:
        where = f"{state.flow}.{state.state}"
        if where != self.where and state.flow:
            self.where = where
            if log.isEnabledFor(logging.INFO):
                self._line("state_entered", state=where)

    def machine(self, level: str, message: str) -> None:
        log.log(logging.getLevelName(level.upper()), "call %s: %s", self.call_id, message)

    def ended(self, by_flow: bool) -> None:
        """`by_flow`: the plan hung up (a caller who hangs up ends the machine too, so
        the machine's state cannot tell)."""
        if log.isEnabledFor(logging.INFO):
            self._line("call_ended", last_state=self.where, ended_by_flow=by_flow)
