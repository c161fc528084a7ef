"""Playing what the machine asks to be heard: spoken text through the shared cache,
recorded prompts by name, one after the other; one PromptFinished per prompt.

The machine counts on exactly one PromptFinished for every Play or Say, also when it
was stopped (barge-in), so every path here ends by posting it once. And a prompt must
end even when the engine's report of its end never arrives (seen under overload, issue
15: the flow stayed in the `play` for good, the caller's '1' typed ahead and never
used): a file not reported finished `OVERDUE` seconds after its own length is taken
as finished, logged and counted. A report that comes before the engine has even said
the file started (both queued in one turn of a busy loop) is kept for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import engine

from ..machine import commands as cmd
from ..machine import events as ev
from ..prompts.cache import SpokenPrompt
from ..prompts.library import find_prompt
from ..prompts.recorded import Piece, pieces
from .context import ServiceContext
from .recorder import wav_seconds

log = logging.getLogger(__name__)
_ENDED = frozenset({engine.CallState.TERMINATING, engine.CallState.TERMINATED})
OVERDUE = 5.0  # s past a file's length with no end reported: taken as finished


class PromptPlayer:
    def __init__(self, context: ServiceContext, session: engine.CallSession,
                 post: Callable[[ev.Event], None]) -> None:
        self.context, self.session, self.post = context, session, post
        self._queue: list[Path] = []
        self._playing: str | None = None  # the engine's playback id
        self._active = False
        self._stopped = False
        self._first_audio: tuple[str, float] | None = None  # (metric, when the say began)
        self._ended_early: set[str] = set()  # ends reported before their play returned
        self._overdue: asyncio.TimerHandle | None = None
        self._late: set[asyncio.Task[None]] = set()

    async def start(self, command: cmd.Play | cmd.Say) -> None:
        self._finish_quietly()
        self._active, self._stopped = True, False
        started = time.perf_counter()
        if isinstance(command, cmd.Say):
            texts = self._pieces(command)
            first = next((t for t in texts if isinstance(t, str)), None)
            cached = first is None or self.context.cache.cached(
                self._spoken(command, first)) is not None
            self._queue = [p for p in [await self._audio(command, t) for t in texts] if p]
            self._first_audio = ("say_cached" if cached else "say_synthesized", started)
        else:
            self._queue = self._sound_files(command.sounds, command.language)
        await self._next()

    def _pieces(self, command: cmd.Say) -> list[Piece]:
        """The Say as text and recordings: said values whose every word is recorded in
        the call's language play from prompts/<language>/ (prompts/recorded.py)."""
        language = command.language or self.context.config.language
        found = pieces(command.parts, language, self.context.config.prompt_dirs)
        return found if any(isinstance(p, Path) for p in found) else [command.text]

    @staticmethod
    def _spoken(command: cmd.Say, text: str) -> SpokenPrompt:
        return SpokenPrompt(text, command.voice or command.language, command.rate,
                            command.language)

    async def _audio(self, command: cmd.Say, piece: Piece) -> Path | None:
        return piece if isinstance(piece, Path) else \
            await self._synthesize(self._spoken(command, piece))

    async def _synthesize(self, prompt: SpokenPrompt) -> Path | None:
        """The prompt's WAV, or None when synthesis fails twice: the Say then ends at
        once (its PromptFinished still comes), rather than leaving the flow waiting for
        a prompt that never plays. espeak-ng now and then renders nothing at all; the
        cache refuses such a file, so a second attempt renders afresh."""
        for attempt in (1, 2):
            try:
                return await asyncio.to_thread(self.context.cache.get, prompt)
            except Exception as error:
                log.warning("speech synthesis failed (attempt %d) for %r: %s", attempt,
                            prompt.text, error)
        return None

    def _sound_files(self, sounds: tuple[str, ...], language: str | None) -> list[Path]:
        files = []
        for name in sounds:
            found = find_prompt(name, self.context.config.prompt_dirs,
                                language or self.context.config.language)
            if found is None:
                log.warning("prompt %r not found in %s", name, self.context.config.prompt_dirs)
            else:
                files.append(found)
        return files

    async def _next(self) -> None:
        if self._stopped or not self._queue:
            self._done()
            return
        if self.session.state in _ENDED:  # the caller left first: nothing is tried on it
            self._done()
            return
        path = self._queue.pop(0)
        self._ended_early.clear()
        try:
            self._playing = await self.session.play(str(path))
            if self._playing in self._ended_early:  # over already: its report came first
                await self.on_playback_finished(self._playing)
                return
            self._overdue = asyncio.get_running_loop().call_later(
                _length(path) + OVERDUE, self._not_reported, self._playing, path)
            if self._first_audio is not None:
                kind, started = self._first_audio
                self.context.metrics.observe(f"{kind}_to_audio_seconds",
                                             time.perf_counter() - started)
                self._first_audio = None
        except Exception as error:  # the call ended meanwhile, or the file is unplayable
            log.info("could not play %s: %s", path.name, error)
            self._done()

    async def on_playback_finished(self, playback_id: str) -> None:
        if playback_id == self._playing:
            self._playing = None
            self._cancel_overdue()
            await self._next()
        elif self._active:
            self._ended_early.add(playback_id)

    def _not_reported(self, playback_id: str, path: Path) -> None:
        if playback_id != self._playing:
            return
        log.warning("call %s: the end of prompt %s was not reported %.0f s after its "
                    "length; taken as finished", self.session.id, path.name, OVERDUE)
        self.context.metrics.count("prompts_overdue_total")
        task = asyncio.create_task(self._give_up(playback_id))
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _give_up(self, playback_id: str) -> None:
        with contextlib.suppress(Exception):  # over or gone: nothing left to stop
            await self.session.stop_playback(playback_id)
        await self.on_playback_finished(playback_id)

    def _cancel_overdue(self) -> None:
        if self._overdue is not None:
            self._overdue.cancel()
            self._overdue = None

    async def stop(self) -> None:
        self._stopped = True
        if self._playing is not None:
            try:
                await self.session.stop_playback(self._playing)
            except Exception:  # already over: its finished event is on the way
                log.debug("stop_playback after the end of %s", self._playing)
        elif self._active and not self._queue:
            self._done()

    def _done(self) -> None:
        self._cancel_overdue()
        if self._active:
            self._active = False
            self._queue = []
            self.post(ev.PromptFinished())

    def _finish_quietly(self) -> None:
        self._cancel_overdue()
        self._queue, self._playing, self._active = [], None, False


def _length(path: Path) -> float:
    """A prompt file's seconds; for a WAV the standard library cannot read (G.711 ones),
    an upper bound from its size at 8,000 bytes a second (8 kHz, 8 bits: the least)."""
    seconds = wav_seconds(str(path))
    if seconds > 0:
        return seconds
    try:
        return path.stat().st_size / 8000
    except OSError:
        return 0.0
