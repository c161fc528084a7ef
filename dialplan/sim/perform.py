"""Performing the machine's commands virtually, the way an engine would for real.

Commands the caller notices become Perceived items; the rest become entries on the
virtual clock (timers, a prompt's end, a dial's ring timeout, a queue's max_wait) or
events to hand straight back to the machine (the end of an instant prompt, a
stopped prompt's own PromptFinished, a finished recording).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import cast

from ..lookups.mocks import HttpMock
from ..machine import commands as cmd
from ..machine import events as ev
from . import perceived as seen
from .clock import VirtualClock
from .fetches import answer
from .prompts import PromptTime

DEADLINE = ("deadline",)  # the clock key of a dial's ring timeout or a queue's max_wait


class Performer:
    def __init__(self, clock: VirtualClock, prompt_time: PromptTime,
                 http: Sequence[HttpMock] = ()) -> None:
        self.clock = clock
        self.prompt_time = prompt_time
        self.http = http  # the scenario's mock responses
        self.fetching: dict[int, ev.FetchResult] = {}  # answers still on their way
        self.listening: tuple[str, ...] = ()  # phrases the recognizer listens for
        self.pending: seen.Requested | None = None  # the last transfer, dial or queue
        self.playing: seen.Heard | None = None  # a prompt still playing (timed prompts)
        self._prompts = 0
        self._recording_since: float | None = None
        self._recordings = 0
        self.answered = False
        self.early_media = False  # `progress` sent, not answered: prompts are heard early

    def perform(self, commands: list[cmd.Command], events: deque[ev.Event]
                ) -> list[seen.Perceived]:
        out = []
        for command in commands:
            item = self._perform(command, events)
            if item is not None:
                out.append(item)
        return out

    def due_event(self, until: float) -> ev.Event | None:
        """The event for the next thing due by `until` on the clock, or None."""
        key = self.clock.next_due(until)
        if key is None:
            return None
        if key == DEADLINE:
            assert self.pending is not None
            return (ev.DialResult("noanswer") if self.pending.kind == "dial"
                    else ev.QueueResult("noanswer"))
        kind, token = cast(tuple[str, int], key)
        if kind == "prompt":
            self.playing = None
            return ev.PromptFinished()
        if kind == "fetch":
            return self.fetching.pop(token)
        return ev.TimerFired(token)

    def resolve(self) -> None:
        """The user picked an outcome: no ring timeout or max_wait applies any more."""
        self.clock.cancel(DEADLINE)

    def finish(self) -> None:
        """The call ended: nothing more falls due."""
        for key, _ in self.clock.pending():
            self.clock.cancel(key)
        self.playing, self.listening = None, ()

    def _perform(self, command: cmd.Command, events: deque[ev.Event]) -> seen.Perceived | None:
        match command:
            case cmd.Say() | cmd.Play():
                return self._prompt(command, events)
            case cmd.StopPrompt():
                if self.playing is not None:
                    self.clock.cancel(("prompt", self._prompts))
                    self.playing = None
                    events.append(ev.PromptFinished())  # the stopped prompt's own report
            case cmd.StartListening(phrases=phrases):
                self.listening = phrases
            case cmd.StopListening():
                self.listening = ()
            case cmd.StartTimer(token=token, seconds=seconds):
                self.clock.schedule(("timer", token), seconds)
            case cmd.CancelTimer(token=token):
                self.clock.cancel(("timer", token))
            case cmd.StartRecording() | cmd.StopRecording():
                return self._recording(command, events)
            case cmd.Hangup(cause=cause, sip_status=status):
                self.finish()
                return seen.Ended(cause, status)
            case cmd.Log(level=level, message=message):
                return seen.Note(level, message)
            case cmd.DigitDropped(key=key, reason=reason):
                return seen.Note("info", f"key {key} ignored: {reason}")
            case cmd.Fetch():
                return self._fetch(command, events)
            case _:
                return self._other(command)
        return None

    def _prompt(self, command: cmd.Say | cmd.Play, events: deque[ev.Event]) -> seen.Heard:
        if isinstance(command, cmd.Say):
            heard = seen.Heard(command.text, early=self.early_media, language=command.language)
        else:
            heard = seen.Heard(", ".join(command.sounds), played=True, early=self.early_media,
                               language=command.language)
        seconds = self.prompt_time(heard)
        if seconds <= 0:
            events.append(ev.PromptFinished())
        else:
            self._prompts += 1
            self.playing = heard
            self.clock.schedule(("prompt", self._prompts), seconds)
        return heard

    def _fetch(self, command: cmd.Fetch, events: deque[ev.Event]) -> seen.Fetched:
        result, delay = answer(command, self.http)
        if delay <= 0:
            events.append(result)
        else:
            self.fetching[command.request] = result
            self.clock.schedule(("fetch", command.request), delay)
        return seen.Fetched(command.method, command.url)

    def _recording(self, command: cmd.Command, events: deque[ev.Event]) -> seen.Perceived | None:
        if isinstance(command, cmd.StartRecording):
            self._recording_since = self.clock.elapsed
            return seen.Recording(command.name, command.beep)
        self._recordings += 1
        since = self._recording_since or 0.0
        events.append(ev.RecordingFinished(f"recording-{self._recordings}",
                                           self.clock.elapsed - since))
        return None

    def _other(self, command: cmd.Command) -> seen.Perceived | None:
        """Answer, ring, and the requests that wait for an outcome."""
        if isinstance(command, cmd.Answer):
            self.answered, self.early_media = True, False
            return seen.Answered()
        if isinstance(command, cmd.Ring):
            self.early_media = self.early_media or (command.early_media and not self.answered)
            return seen.Ringing(command.early_media)
        if isinstance(command, cmd.Transfer):
            self.pending = seen.Requested("transfer", (command.target,))
        elif isinstance(command, cmd.Dial):
            self.pending = seen.Requested("dial", command.targets)
            self.clock.schedule(DEADLINE, command.timeout)
        elif isinstance(command, cmd.Enqueue):
            self.pending = seen.Requested("queue", (command.queue,))
            self.clock.schedule(DEADLINE, command.max_wait)
        else:
            return None
        return self.pending
