"""Theory of operation: one call, executed.

A CallRun owns one engine session and one machine state. Everything that happens to
the call becomes a machine event on one queue: engine events (DTMF, prompt ends, the
caller hanging up, transfer status), timer expiries, speech results, dial and queue
outcomes. The loop takes one event at a time, steps the (pure) machine with it, and
performs the commands that come back. Long operations (dialling, queueing) run as
tasks that post their outcome as an event, so the loop never blocks on them.

The call keeps the Machine it started with: a reload never changes a call mid-way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

import engine

from ..machine import CallInfo, CallState, Machine
from ..machine import commands as cmd
from ..machine import events as ev
from . import dialer, recorder
from .calllog import CallLog
from .context import ServiceContext, utc_now
from .engine_events import translate
from .listener import Listener
from .prompts import PromptPlayer
from .queues import QueueService
from .targets import allowed, refer_rule, to_uri

GONE = (engine.CallState.TERMINATING, engine.CallState.TERMINATED)
# what only a live call can do; timers, logs and hangups still go through
ON_THE_LINE = (cmd.Answer, cmd.Play, cmd.Say, cmd.StartListening, cmd.Transfer, cmd.Dial,
               cmd.Enqueue, cmd.StartRecording)
# media that needs a media path: the answer's, or early media's (`progress`, 183)
NEEDS_ANSWER = (cmd.Play, cmd.Say, cmd.StartListening, cmd.StartRecording)
UNANSWERED = 480  # the final response of a call its flow cannot or did not answer
log = logging.getLogger(__name__)


class CallRun:
    def __init__(self, context: ServiceContext, queues: QueueService, machine: Machine,
                 session: engine.CallSession, info: CallInfo, sip_call_id: str = "") -> None:
        self.context, self.queues = context, queues
        self.machine, self.session, self.info = machine, session, info
        self.queue: asyncio.Queue[ev.Event] = asyncio.Queue()
        self.state: CallState | None = None
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.prompts = PromptPlayer(context, session, self.post)
        self.listener = Listener(context.config.speech_socket, session, self.post)
        self.recording: tuple[str, str] | None = None  # (engine id, path)
        self.recordings = 0
        self.log = CallLog(session.id, machine.plan.version, sip_call_id)
        self.hooks = context.webhooks.lifecycle(session.id, sip_call_id, info, self.version)
        self.answered = False
        self.early_media = False  # 183 with SDP sent: media flows before the answer
        self.flow_hung_up = False  # the plan ended the call (not the caller, not a drain)
        self.cut = False  # a drain hung the call up
        self._unanswered: asyncio.TimerHandle | None = None

    @property
    def version(self) -> str:
        return self.machine.plan.version

    def post(self, event: ev.Event) -> None:
        self.queue.put_nowait(event)

    async def run(self) -> None:
        subscription = self.session.events()
        if self.session.state in GONE:  # the caller left before we listened: the
            self.post(ev.HungUp())  # engine's CallEnded went by unheard
        pump = asyncio.create_task(self._pump(subscription))
        self._unanswered = asyncio.get_running_loop().call_later(
            self.context.config.unanswered_timeout, self._spawn_refusal, "no answer in time")
        try:
            if self.machine.plan.allow_refer:
                await self.session.accept_refer(refer_rule(self.context.config))
            self.state, commands = self.machine.start(self.info, self.context.clock())
            self.log.started(self.info, self.state, commands)
            self.context.webhooks.post(self.hooks.started(self.state, commands, utc_now()))
            await self._perform(commands)
            while not self.state.ended:
                event = await self.queue.get()
                self.state, commands = self.machine.step(self.state, event,
                                                         self.context.clock())
                self.log.step(event, self.state, commands)
                self.context.webhooks.post(self.hooks.step(event, self.state, commands, utc_now()))
                await self._perform(commands)
        finally:
            pump.cancel()
            subscription.close()
            await self._clean_up()

    async def _pump(self, subscription: engine.Subscription) -> None:
        """Engine events for this session, turned into machine events; a prompt's or a
        recording's end is the executor's news first."""
        async for event in subscription:
            match event:
                case engine.PlaybackFinished(playback_id=playback_id):
                    await self.prompts.on_playback_finished(playback_id)
                case engine.RecordingFinished():
                    self.recording = None
            for machine_event in translate(event):
                self.post(machine_event)

    # -- commands ----------------------------------------------------------------------
    async def _perform(self, commands: list[cmd.Command]) -> None:
        for command in commands:
            if self.session.state in GONE and isinstance(command, ON_THE_LINE):
                continue  # the caller left (e.g. during a `record`): HungUp follows
            if not (self.answered or self.early_media) and isinstance(command, NEEDS_ANSWER):
                await self._refuse_unanswered(f"{type(command).__name__} before answer")
                continue
            try:
                await self._do(command)
            except Exception as error:  # the call may have gone: the HungUp event follows
                log.info("call %s: %s failed: %s", self.session.id, type(command).__name__,
                         error)

    async def _do(self, command: cmd.Command) -> None:
        match command:
            case cmd.Answer():
                await self.session.accept()
                self.answered = True
                if self._unanswered is not None:
                    self._unanswered.cancel()
            case cmd.Ring(early_media=True) if not self.answered:
                await self.session.progress()
                self.early_media = True
            case cmd.Play() | cmd.Say():
                await self.prompts.start(command)
            case cmd.StopPrompt():
                await self.prompts.stop()
            case cmd.StartListening(phrases=phrases):
                await self.listener.start(phrases)
            case cmd.StopListening():
                await self.listener.stop()
            case cmd.StartTimer(token=token, seconds=seconds):
                loop = asyncio.get_running_loop()
                self.timers[token] = loop.call_later(seconds, self.post, ev.TimerFired(token))
            case cmd.CancelTimer(token=token):
                handle = self.timers.pop(token, None)
                if handle is not None:
                    handle.cancel()
            case cmd.Transfer(target=target):
                await self._transfer(target)
            case cmd.Dial():
                self._spawn(dialer.dial(self.context, self.session, command, self._dialled))
            case cmd.Enqueue():
                self._spawn(self.queues.enqueue(self.session, command, self.post))
            case cmd.StartRecording():
                await self._record(command)
            case cmd.StopRecording():
                if self.recording is not None:
                    await self.session.stop_recording(self.recording[0])
            case cmd.Hangup(sip_status=status):
                self.flow_hung_up = self.session.state not in GONE  # not after the caller
                await self._hang_up(status)
            case cmd.Log(level=level, message=message):
                self.log.machine(level, message)
            case cmd.DigitDropped(key=key, reason=reason):
                self.log.machine("info", f"digit {key} dropped: {reason}")
                self.context.metrics.count("digits_dropped_total")
            case cmd.Fetch():
                self._spawn(self.context.fetcher.fetch(command, self.context.config.allowed_urls,
                                                       self.post))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("call %s: %s failed", self.session.id, task.get_name(),
                      exc_info=task.exception())

    def _spawn_refusal(self, why: str) -> None:
        if not self.answered:
            self._spawn(self._refuse_unanswered(why))

    def _dialled(self, event: ev.Event) -> None:
        """A dial made before `answer` answers the caller as its leg answers (dialer.py)."""
        if event == ev.DialResult("answered") and not self.answered:
            self.answered = True
            if self._unanswered is not None:
                self._unanswered.cancel()
        self.post(event)

    async def _refuse_unanswered(self, why: str) -> None:
        """Give a call the flow did not answer its final response (480) instead of
        leaving it ringing: the flow stalled, or wants media it cannot have yet."""
        if self.answered or self.session.state in GONE:
            return
        self.log.machine("error", f"call refused with {UNANSWERED}: {why}")
        await self.session.reject(UNANSWERED, "Temporarily Unavailable")

    async def _transfer(self, target: str) -> None:
        uri = to_uri(target, self.context.config)
        if not allowed(uri, self.context.config):
            self.log.machine("warning", f"transfer to {uri} refused by allowed_targets")
            self.post(ev.TransferResult(False, 403))
            return
        await self.session.transfer(uri)

    async def _record(self, command: cmd.StartRecording) -> None:
        self.recordings += 1
        path = recorder.recording_path(self.context, self.session.id, command.name,
                                       self.recordings)
        recording_id = await recorder.start_recording(self.context, self.session, command,
                                                      path)
        self.recording = (recording_id, str(path))

    async def _hang_up(self, status: int) -> None:
        if self.answered:
            await self.session.terminate()
        else:
            await self.session.reject(status)

    async def _clean_up(self) -> None:
        for handle in [*self.timers.values(), *filter(None, [self._unanswered])]:
            handle.cancel()
        await self.listener.stop()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            if self.session.state not in GONE:
                await self.session.terminate()
        self.log.ended(by_flow=self.flow_hung_up)
        self.context.webhooks.post(self.hooks.ended(utc_now(), self.flow_hung_up, self.cut))
