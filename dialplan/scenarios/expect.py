"""Checking expectations against what a session's caller perceived, in order.

What was heard, played and requested is matched like an expect script: each such
expectation looks forward from the item after the last one matched, skipping what
it does not mention, so a scenario names only what it cares about while order is
still checked. `state` and `var` look at the call as it stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..sim import perceived as seen
from ..sim.driver import Session, Unobservable
from . import model as m
from . import webhook_match

Match = Callable[[seen.Perceived], bool]


@dataclass(frozen=True)
class Mismatch:
    expected: str
    actual: str


def show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str | bool) else str(value)


def _same_value(actual: object, expected: object) -> bool:
    """As the language compares: digits collected as text equal the number they spell."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, int | float) and isinstance(actual, str):
        try:
            return float(actual) == expected
        except ValueError:
            return False
    return actual == expected


def _heard_matches(item: seen.Perceived, step: m.ExpectHear) -> bool:
    if not isinstance(item, seen.Heard) or item.played:
        return False
    if step.language is not None and item.language != step.language:
        return False
    if step.mode == "containing":
        return step.text in item.text
    if step.mode == "matching":
        return re.search(step.text, item.text) is not None
    return item.text == step.text


def kind_of(step: m.Step) -> str:
    """The kind of expectation, as drivers name what they cannot observe."""
    if isinstance(step, m.ExpectRequest):
        return step.kind
    return {m.ExpectHear: "hear", m.ExpectPlay: "play", m.ExpectHangup: "hangup",
            m.ExpectState: "state", m.ExpectVar: "var", m.ExpectAnswered: "answered",
            m.ExpectSilence: "silence", m.ExpectWebhook: "webhook",
            m.ExpectFetch: "fetch"}[type(step)]


class Checker:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen = 0  # transcript items already matched or passed over
        self.states_seen = 0  # states reached already matched or passed over
        self.webhooks_seen = 0  # webhooks already matched or passed over

    def check(self, step: m.Step) -> Mismatch | None:
        """None if the expectation holds; raises Unobservable if the driver cannot tell."""
        if kind_of(step) in self.session.unobservable:
            raise Unobservable(f"this driver cannot observe `{kind_of(step)}`")
        if isinstance(step, m.ExpectHear):
            return self._find(lambda item: _heard_matches(item, step),
                              f"to hear {step.mode} {show(step.text)}".replace(" exactly", ""),
                              lambda item: isinstance(item, seen.Heard))
        if isinstance(step, m.ExpectPlay):
            return self._find(lambda item: isinstance(item, seen.Heard) and item.played
                              and step.sound in item.text.split(", "),
                              f"to hear the prompt {show(step.sound)}",
                              lambda item: isinstance(item, seen.Heard))
        if isinstance(step, m.ExpectRequest):
            return self._find(lambda item: item == seen.Requested(step.kind, step.targets),
                              f"{step.kind} {', '.join(map(show, step.targets))}",
                              lambda item: isinstance(item, seen.Requested))
        if isinstance(step, m.ExpectFetch):
            return self._find(lambda item: isinstance(item, seen.Fetched)
                              and item.url == step.url, f"fetch {show(step.url)}",
                              lambda item: isinstance(item, seen.Fetched))
        if isinstance(step, m.ExpectHangup):
            return self._hangup(step)
        if isinstance(step, m.ExpectState):
            return self._state(step)
        if isinstance(step, m.ExpectVar):
            return self._var(step)
        if isinstance(step, m.ExpectWebhook):
            return self._webhook(step)
        if isinstance(step, m.ExpectAnswered):
            answered = any(isinstance(i, seen.Answered) for i in self.session.transcript)
            return None if answered else Mismatch("the call answered", "not answered")
        assert isinstance(step, m.ExpectSilence)
        rest = [i for i in self.session.transcript[self.seen:] if isinstance(i, seen.Heard)]
        return Mismatch("nothing more heard", self._describe(rest)) if rest else None

    def _find(self, wanted: Match, expected: str, related: Match) -> Mismatch | None:
        """The first item from `seen` on that is `wanted`; failing that, the `related`
        items there (what was heard instead of the words expected) are the actual."""
        transcript = self.session.transcript
        for index in range(self.seen, len(transcript)):
            if wanted(transcript[index]):
                self.seen = index + 1
                return None
        return Mismatch(expected, self._describe(
            [item for item in transcript[self.seen:] if related(item)]))

    def _hangup(self, step: m.ExpectHangup) -> Mismatch | None:
        expected = "the plan hangs up" + (f" ({step.cause})" if step.cause else "")
        ended = [(i, item) for i, item in enumerate(self.session.transcript)
                 if isinstance(item, seen.Ended) and i >= self.seen]
        if not ended:
            return Mismatch(expected, f"the call is still in {self.session.where}"
                            if not self.session.ended else "the call had already ended")
        index, item = ended[0]
        if item.by_caller:
            return Mismatch(expected, "the caller hung up")
        if step.cause and step.cause not in (item.cause, str(item.sip_status)):
            return Mismatch(expected, f"the plan hung up ({item.cause})")
        self.seen = index + 1
        return None

    def _state(self, step: m.ExpectState) -> Mismatch | None:
        """The call reached the state since the last state matched (or is in it now)."""
        reached = list(self.session.states_reached)
        if step.name in reached[self.states_seen:]:
            self.states_seen = reached.index(step.name, self.states_seen) + 1
            return None
        if not self.session.ended and self.session.where == step.name:
            return None
        since = ", ".join(reached[self.states_seen:]) or "no other state"
        now = "the call has ended" if self.session.ended else f"now in {self.session.where}"
        return Mismatch(f"to reach state {step.name}", f"reached {since}; {now}")

    def _webhook(self, step: m.ExpectWebhook) -> Mismatch | None:
        sent = self.session.webhooks
        index = webhook_match.find(sent, self.webhooks_seen, step, _same_value)
        if index is None:
            return Mismatch(webhook_match.described(step, show),
                            webhook_match.what_was_sent(sent[self.webhooks_seen:], step, show))
        self.webhooks_seen = index + 1
        return None

    def _var(self, step: m.ExpectVar) -> Mismatch | None:
        variables = self.session.variables
        expected = f"{step.name} = {show(step.value)}"
        if step.name not in variables:
            return Mismatch(expected, f"{step.name} has no value")
        actual = variables[step.name]
        return None if _same_value(actual, step.value) else Mismatch(
            expected, f"{step.name} = {show(actual)}")

    def _describe(self, items: Sequence[seen.Perceived]) -> str:
        shown = [str(item) for item in items if not isinstance(item, seen.Note)]
        if not shown:
            state = "the call has ended" if self.session.ended else \
                f"the call waits in {self.session.where}"
            return f"nothing more ({state})"
        return "; ".join(shown)
