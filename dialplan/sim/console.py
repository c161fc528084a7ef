"""The `dialplan simulate` session: plain lines in, plain lines out.

Reads one command per line (digits, `say ...`, `wait 6s`, an outcome, `hangup`,
`at`, `help`, `quit`) and prints what the caller perceives, then a status line with
the call's flow.state, the plan version, the virtual time, what is pending on the clock
(a queue's max_wait counting down) and which outcomes can be chosen. Works the same
on a terminal, a pseudo-terminal or piped input; end of input ends the session.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import TextIO

from . import perceived as seen
from .call import SimulationError, VirtualCall
from .clock import BadInstant, parse_instant
from .outcomes import OUTCOMES, choices

HELP = """commands:
  1, 123#          press keys (0-9 * #)
  say <words>      speak to the plan (while it listens)
  wait <time>      let time pass: wait 6s, wait 500ms, wait 2m (timers fire)
  answer | busy | noanswer | unavailable | fail
                   the outcome of a pending transfer, dial or queue
  end              the far party ends a bridged dial or queue call
  hangup           the caller hangs up
  vars             show the call's variables
  webhooks         show the webhooks the call posted (docs/webhooks.md)
  restart          place the call again
  at <time>        place the call again at another time: at 18:30 (same day and
                   zone), at 2026-12-24 09:30 Europe/Berlin; `at` alone shows the time
  help             this text
  quit             leave (so does end of input)"""

_KEYS = re.compile(r"[0-9*#]+")
_WAIT = re.compile(r"wait\s+([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_TIME_OF_DAY = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_NO_ZONE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{1,2}:[0-9]{2}")
PROMPT = "> "
DEADLINES = {"queue": "max_wait ends in", "dial": "rings out in"}
COMMON_FIELDS = frozenset({"id", "event", "time", "sequence", "call"})


def time_in_session(text: str, current: dt.datetime) -> dt.datetime:
    """`18:30` on the current day and zone, or a date and time (in the current zone
    unless one is named). Raises BadInstant."""
    if found := _TIME_OF_DAY.fullmatch(text):
        try:
            return current.replace(hour=int(found[1]), minute=int(found[2]), second=0,
                                   microsecond=0)
        except ValueError as error:
            raise BadInstant(f"cannot read {text!r}: {error}") from error
    zone = current.tzinfo
    named = text if not _NO_ZONE.fullmatch(text) or zone is None else f"{text} {zone}"
    return parse_instant(named)


def duration(seconds: float) -> str:
    """`4m`, `3m12s`, `45s`: how the status line counts down."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes}m{rest}s" if minutes and rest else f"{minutes}m" if minutes else f"{rest}s"


def webhook_line(event: dict[str, object]) -> str:
    """`3 ended outcome="hangup" ...`: a webhook's own fields, not those every one has."""
    fields = " ".join(f"{key}={json.dumps(value, ensure_ascii=False)}"
                      for key, value in event.items() if key not in COMMON_FIELDS)
    return f"{event['sequence']} {event['event']} {fields}".rstrip()


class Console:
    def __init__(self, place: Callable[[dt.datetime], VirtualCall], at: dt.datetime,
                 out: TextIO, echo: bool = False) -> None:
        """`place(at)` places the call at an instant; `echo`: repeat each command after
        the prompt (input that is not a terminal is not shown by one, and the output
        should still read as a session)."""
        self.place = place
        self.at = at
        self.out = out
        self.echo = echo
        self.call = place(at)

    def run(self, lines: Iterable[str]) -> None:
        self._show(self.call.transcript)
        self._status()
        for line in lines:
            if self.echo:
                self._print(line.strip())
            if not self.handle(line.strip()):
                return
        self._print("")  # end of input: leave the prompt's line

    def handle(self, line: str) -> bool:
        """Perform one command; False when the session should end."""
        if line in ("quit", "exit", "q"):
            return False
        try:
            self._perform(line)
        except SimulationError as error:
            self._print(f"  ! {error}")
        self._status()
        return True

    def _perform(self, line: str) -> None:
        call = self.call
        wait = _WAIT.fullmatch(line)
        if not line:
            return
        if _KEYS.fullmatch(line):
            self._show(call.press(line))
        elif line.startswith("say ") or line == "say":
            self._show(call.say(line[4:].strip()))
        elif wait:
            self._show(call.wait(float(wait[1]) * _UNITS[wait[2] or "s"]))
        elif line in OUTCOMES:
            self._show(call.choose(line))
        elif line in ("hangup", "hang up"):
            self._show(call.hang_up())
        elif line == "vars":
            for name, value in sorted(call.variables.items()):
                self._print(f"  {name} = {value!r}")
        elif line == "webhooks":
            for event in call.webhooks:
                self._print("  " + webhook_line(event))
        elif line == "restart":
            self.call = self.place(self.at)
            self._show(self.call.transcript)
        elif line == "at" or line.startswith("at "):
            self._set_time(line[3:].strip())
        elif line in ("help", "?"):
            self._print(HELP)
        else:
            self._print(f"  ! unknown command {line!r}; type help")

    def _set_time(self, text: str) -> None:
        """`at TIME`: the same call placed again at TIME, so each time of day needs no
        new session; `at` alone shows the virtual time."""
        if not text:
            self._print(f"  it is {self.call.clock.now:%Y-%m-%d %H:%M:%S} {self.at.tzinfo}")
            return
        try:
            self.at = time_in_session(text, self.at)
        except BadInstant as error:
            raise SimulationError(str(error)) from None
        self._print(f"  (placing the call again at {self.at:%Y-%m-%d %H:%M} {self.at.tzinfo})")
        self.call = self.place(self.at)
        self._show(self.call.transcript)

    def _show(self, items: list[seen.Perceived]) -> None:
        for item in items:
            self._print(f"  ({item})" if isinstance(item, seen.Note) else f"  {item}")

    def _status(self) -> None:
        call = self.call
        parts = [call.where, f"plan {call.plan.version}", f"t={call.clock.elapsed:g}s"]
        for kind, label in (("prompt", "prompt ends in"), ("timer", "next timer in")):
            due = [s for key, s in call.clock.pending() if isinstance(key, tuple)
                   and key[0] == kind]
            if due and not call.ended:
                parts.append(f"{label} {due[0]:g}s")
        if call.deadline is not None and call.situation in DEADLINES:
            parts.append(f"{DEADLINES[call.situation]} {duration(call.deadline)}")
        if call.situation is not None and call.pending is not None:
            parts.append(f"{call.situation} {', '.join(call.pending.targets)}: "
                         f"{' | '.join(choices(call.situation))}")
        if call.performer.listening and not call.ended:
            parts.append("listening for: " + ", ".join(call.performer.listening))
        self._print("[" + " | ".join(parts) + "]")
        self.out.write(PROMPT)
        self.out.flush()

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
